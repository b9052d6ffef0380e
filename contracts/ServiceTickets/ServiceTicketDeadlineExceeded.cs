namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Alarm event: a ticket waited in <see cref="State"/> past its deadline (时限). <see cref="OwnerUserId"/> is the representative
/// who took it, <see cref="OfficeId"/> the office it was dispatched to and <see cref="EngineerUserId"/> the engineer it is with,
/// so notifications can escalate to whoever holds it and their supervisor.
/// </summary>
public sealed record ServiceTicketDeadlineExceeded(
    Guid TicketId,
    string TicketNumber,
    string OwnerUserId,
    string? OfficeId,
    string? EngineerUserId,
    string State,
    DateTimeOffset DeadlineAt,
    DateTimeOffset RaisedAt);
