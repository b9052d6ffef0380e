namespace Crm.Contracts.Erp;

/// <summary>Command from the ERP inbound service: record money the ERP received for an order (003 §3.4.2 实际收款). A repeated <paramref name="ReceiptId"/> changes nothing.</summary>
public sealed record RecordErpPaymentReceipt(
    Guid ReceiptId,
    string PartnerId,
    string DocumentId,
    string OrderNumber,
    string ReceiptNumber,
    decimal Amount,
    DateTimeOffset ReceivedOn,
    DateTimeOffset ReceivedAt);
