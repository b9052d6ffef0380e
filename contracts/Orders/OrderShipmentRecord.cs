namespace Crm.Contracts.Orders;

/// <summary>A shipment the ERP reported for an order, part of <see cref="OrderDetails"/>; <paramref name="ShippedAt"/> keeps the ERP's offset.</summary>
public sealed record OrderShipmentRecord(Guid ReceiptId, string ShipmentNumber, DateTimeOffset ShippedAt);
