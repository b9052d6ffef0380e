namespace Crm.Contracts.Orders;

/// <summary>Alarm event: an order missed its deadline in <paramref name="State"/>; escalation follows.</summary>
public sealed record OrderDeadlineExceeded(Guid OrderId, string OrderNumber, string OwnerUserId, string State, DateTimeOffset DeadlineAt);
