namespace Crm.Contracts.ServiceTickets;

/// <summary>Query: a service ticket by id or by number. Answered with <see cref="ServiceTicketDetails"/> or <see cref="ServiceTicketNotFound"/>.</summary>
public sealed record GetServiceTicket(Guid? TicketId, string? TicketNumber);
