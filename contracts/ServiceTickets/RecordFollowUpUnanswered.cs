namespace Crm.Contracts.ServiceTickets;

/// <summary>Command (from the ticket saga): the follow-up was not answered by its due time; reschedule it (改签) or give up, per the follow-up policy.</summary>
public sealed record RecordFollowUpUnanswered(Guid TicketId, Guid CommandId, string Actor, long? ExpectedVersion, DateTimeOffset RequestedAt)
    : IServiceTicketCommand;
