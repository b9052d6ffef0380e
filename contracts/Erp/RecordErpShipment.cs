namespace Crm.Contracts.Erp;

/// <summary>
/// Command from the ERP inbound service: record a shipment (003 §3.4.1 分批发货) against an order and tell the customer.
/// <paramref name="ReceiptId"/> is the hub's receipt for the ERP's (<paramref name="PartnerId"/>, <paramref name="DocumentId"/>);
/// a repeat with the same receipt changes nothing.
/// </summary>
public sealed record RecordErpShipment(
    Guid ReceiptId,
    string PartnerId,
    string DocumentId,
    string OrderNumber,
    string ShipmentNumber,
    DateTimeOffset ShippedAt,
    IReadOnlyList<ErpShipmentLine> Lines,
    DateTimeOffset ReceivedAt);
