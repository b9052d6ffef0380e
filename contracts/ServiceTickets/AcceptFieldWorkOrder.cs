namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the engineer (<see cref="Actor"/>) accepts the ticket's current field work order.</summary>
public sealed record AcceptFieldWorkOrder(Guid TicketId, Guid CommandId, string Actor, long? ExpectedVersion, DateTimeOffset RequestedAt)
    : IServiceTicketCommand;
