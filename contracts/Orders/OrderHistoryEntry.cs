namespace Crm.Contracts.Orders;

/// <summary>One step of an order's lifecycle: from which state to which, by what step, when, who or what took it, why, and on which message.</summary>
public sealed record OrderHistoryEntry(int Sequence, string? From, string To, string Trigger, DateTimeOffset At, string Actor, string? Reason, Guid? MessageId);
