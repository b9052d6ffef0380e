namespace Crm.Contracts.Notifications;

/// <summary>Event: (part of) an order left the warehouse (003 §3.4.1 分批发货).</summary>
public sealed record OrderShipped(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    Guid ShipmentId,
    string? CarrierReference,
    DateTimeOffset ShippedAt);
