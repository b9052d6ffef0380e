namespace Crm.Contracts.Orders;

/// <summary>Event: the order was archived and closed; its product instances are in service (开通).</summary>
public sealed record OrderClosed(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    string OwnerUserId,
    IReadOnlyList<ProductInstanceSummary> ProductInstances,
    DateTimeOffset ClosedAt);
