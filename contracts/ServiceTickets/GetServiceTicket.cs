namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Query: a service ticket by id, by number, or by one of its field work orders (one of them). Answered with
/// <see cref="ServiceTicketDetails"/> or <see cref="ServiceTicketNotFound"/>.
/// </summary>
public sealed record GetServiceTicket(Guid? TicketId, string? TicketNumber, Guid? FieldWorkOrderId = null);
