namespace Crm.Contracts.ServiceTickets;

/// <summary>A field work order (派工单) of a ticket as it stands: <see cref="Status"/> is Issued, Accepted, Declined, Reassigned, NeedsParts, Completed or Withdrawn.</summary>
public sealed record FieldWorkOrderSummary(
    Guid FieldWorkOrderId,
    string Number,
    int Sequence,
    string OfficeId,
    string EngineerUserId,
    string IssuedBy,
    DateTimeOffset IssuedAt,
    string Status,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt,
    string? Outcome,
    string? PartsNeed,
    string? Report,
    IReadOnlyList<FieldWorkPart> PartsUsed);
