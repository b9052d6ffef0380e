namespace Crm.Contracts.ServiceTickets;

/// <summary>Event: an engineer finished a field work order, with the parts fitted (for stock and billing of parts).</summary>
public sealed record FieldWorkOrderCompleted(
    Guid TicketId,
    string TicketNumber,
    Guid FieldWorkOrderId,
    string FieldWorkOrderNumber,
    string EngineerUserId,
    string Outcome,
    string Report,
    IReadOnlyList<FieldWorkPart> PartsUsed,
    DateTimeOffset CompletedAt);
