namespace Crm.Contracts.ServiceTickets;

/// <summary>Command: the technical section solved the submitted ticket without a visit.</summary>
public sealed record ResolveServiceTicketRemotely(Guid TicketId, Guid CommandId, string Actor, string Resolution, long? ExpectedVersion,
    DateTimeOffset RequestedAt) : IServiceTicketCommand;
