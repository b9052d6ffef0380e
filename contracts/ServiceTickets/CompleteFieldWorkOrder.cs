namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Command: the engineer (<see cref="Actor"/>) repaired it. <see cref="Outcome"/> is <c>RepairedOnSite</c>, <c>PartsReplaced</c>
/// or <c>RepairedAtFactory</c>; <see cref="PartsUsed"/> lists the parts fitted.
/// </summary>
public sealed record CompleteFieldWorkOrder(
    Guid TicketId,
    Guid CommandId,
    string Actor,
    string Outcome,
    string Report,
    IReadOnlyList<FieldWorkPart> PartsUsed,
    long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
