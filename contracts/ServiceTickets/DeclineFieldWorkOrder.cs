namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the engineer (<see cref="Actor"/>) declines the current field work order; the ticket goes back to the supervisor.</summary>
public sealed record DeclineFieldWorkOrder(Guid TicketId, Guid CommandId, string Actor, string Reason, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
