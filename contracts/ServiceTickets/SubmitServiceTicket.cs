namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: not solvable on the call; submit the ticket for technical review (技术科审核).</summary>
public sealed record SubmitServiceTicket(Guid TicketId, Guid CommandId, string Actor, long? ExpectedVersion, DateTimeOffset RequestedAt)
    : IServiceTicketCommand;
