namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP invoiced an order; <paramref name="ReceiptId"/> identifies the record.</summary>
public sealed record ErpInvoiceRecorded(Guid ReceiptId, Guid OrderId, string OrderNumber, string InvoiceNumber, decimal Amount, DateTimeOffset IssuedAt);
