namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP invoiced an order; <paramref name="ReceiptId"/> identifies the record. No longer published: superseded by <c>Crm.Contracts.Orders.OrderInvoiced</c>, which the order publishes once it accepted the invoice.</summary>
public sealed record ErpInvoiceRecorded(Guid ReceiptId, Guid OrderId, string OrderNumber, string InvoiceNumber, decimal Amount, DateTimeOffset IssuedAt);
