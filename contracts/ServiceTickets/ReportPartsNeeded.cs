namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Command: the engineer's progress report that the job cannot be finished on site: <see cref="Need"/> is
/// <c>ReplacementParts</c> (更换配件) or <c>ReturnToFactory</c> (返司维修). The supervisor then reassigns.
/// </summary>
public sealed record ReportPartsNeeded(Guid TicketId, Guid CommandId, string Actor, string Need, string Note, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
