using Crm.Contracts.Erp;

namespace Crm.Contracts.Orders;

/// <summary>A shipment the ERP reported for an order, part of <see cref="OrderDetails"/>; <paramref name="ShippedAt"/> keeps the ERP's offset.</summary>
/// <param name="ReceiptId">The hub's receipt of the ERP's report, also the shipment's id on the order.</param>
/// <param name="ShipmentNumber">The ERP's shipment number.</param>
/// <param name="ShippedAt">When it left, as the ERP wrote it.</param>
/// <param name="Lines">What it carried, by product (null from hubs before lines were reported).</param>
public sealed record OrderShipmentRecord(Guid ReceiptId, string ShipmentNumber, DateTimeOffset ShippedAt, IReadOnlyList<ErpShipmentLine>? Lines = null);
