namespace Crm.Contracts.ServiceTickets;

/// <summary>Command (from the ticket saga): close a solved ticket that needs no follow-up.</summary>
public sealed record CloseServiceTicket(Guid TicketId, Guid CommandId, string Actor, long? ExpectedVersion, DateTimeOffset RequestedAt)
    : IServiceTicketCommand;
