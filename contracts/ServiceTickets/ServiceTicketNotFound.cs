namespace Crm.Contracts.ServiceTickets;

/// <summary>Answer to <see cref="GetServiceTicket"/> or a ticket command when no such ticket exists.</summary>
public sealed record ServiceTicketNotFound(Guid? TicketId, string? TicketNumber);
