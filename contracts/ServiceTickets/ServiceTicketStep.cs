namespace Crm.Contracts.ServiceTickets;

/// <summary>One step of a ticket's history: who or what moved it, when, and from which message.</summary>
public sealed record ServiceTicketStep(string? From, string To, string Trigger, DateTimeOffset At, string Actor, string? Reason, Guid? MessageId);
