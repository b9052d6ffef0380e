namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the customer withdrew the ticket before a repair started.</summary>
public sealed record WithdrawServiceTicket(Guid TicketId, Guid CommandId, string Actor, string Reason, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
