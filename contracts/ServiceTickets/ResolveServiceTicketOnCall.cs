namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the representative solved the ticket on the call.</summary>
public sealed record ResolveServiceTicketOnCall(Guid TicketId, Guid CommandId, string Actor, string Resolution, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
