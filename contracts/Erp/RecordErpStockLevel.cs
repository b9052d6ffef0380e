namespace Crm.Contracts.Erp;

/// <summary>
/// Command from the ERP inbound service: the ERP's stock of a product in a warehouse. The report carries no time of its own,
/// so <paramref name="ReceivedAt"/> (when the hub accepted it) orders reports: an older one never overwrites a newer one.
/// </summary>
public sealed record RecordErpStockLevel(
    Guid ReceiptId,
    string PartnerId,
    string DocumentId,
    string ProductCode,
    string Warehouse,
    int Quantity,
    DateTimeOffset ReceivedAt);
