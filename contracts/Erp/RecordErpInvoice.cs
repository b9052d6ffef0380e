namespace Crm.Contracts.Erp;

/// <summary>Command from the ERP inbound service: record an invoice the ERP issued for an order. A repeated <paramref name="ReceiptId"/> changes nothing.</summary>
public sealed record RecordErpInvoice(
    Guid ReceiptId,
    string PartnerId,
    string DocumentId,
    string OrderNumber,
    string InvoiceNumber,
    decimal Amount,
    DateTimeOffset IssuedAt,
    DateTimeOffset ReceivedAt);
