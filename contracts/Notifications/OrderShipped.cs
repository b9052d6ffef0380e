namespace Crm.Contracts.Notifications;

/// <summary>
/// Event: (part of) an order left the warehouse (003 §3.4.1 分批发货) and the order recorded the shipment. Published only once
/// the order accepted it (nothing shipped beyond what was ordered); a repeat of the same shipment is not published again.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderNumber">The order's number.</param>
/// <param name="CustomerCode">Who receives it.</param>
/// <param name="ShipmentId">The shipment on the order (the ERP document's receipt).</param>
/// <param name="CarrierReference">The ERP's shipment number or waybill.</param>
/// <param name="ShippedAt">When it left, as the ERP wrote it.</param>
/// <param name="OwnerUserId">The order's salesperson.</param>
/// <param name="FullyShipped">Whether every unit of the order has now shipped.</param>
public sealed record OrderShipped(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    Guid ShipmentId,
    string? CarrierReference,
    DateTimeOffset ShippedAt,
    string? OwnerUserId = null,
    bool? FullyShipped = null);
