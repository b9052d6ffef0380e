namespace Crm.Contracts.Erp;

/// <summary>
/// Command from the ERP inbound service: a product of the ERP's master data was created or changed. <paramref name="State"/> is
/// a product state name (Active, Discontinued); <paramref name="ReceivedAt"/> orders changes of one product.
/// </summary>
public sealed record RecordErpProductChange(
    Guid ReceiptId,
    string PartnerId,
    string DocumentId,
    string ProductCode,
    string Name,
    string? SpecModel,
    string State,
    DateTimeOffset ReceivedAt);
