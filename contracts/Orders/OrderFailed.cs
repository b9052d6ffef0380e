namespace Crm.Contracts.Orders;

/// <summary>Event: the order ended without completing; whatever had happened was compensated.</summary>
public sealed record OrderFailed(Guid OrderId, string OrderNumber, string OwnerUserId, string Reason, DateTimeOffset FailedAt);
