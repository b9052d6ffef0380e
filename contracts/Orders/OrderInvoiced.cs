namespace Crm.Contracts.Orders;

/// <summary>
/// Event: an invoice was issued against the order (003 §3.4.1 开票) and the order recorded it; all invoices together never exceed
/// the order total. Supersedes <c>Crm.Contracts.Erp.ErpInvoiceRecorded</c>, which is no longer published.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="OrderNumber">The order's number.</param>
/// <param name="CustomerCode">Who is invoiced.</param>
/// <param name="OwnerUserId">The order's salesperson.</param>
/// <param name="InvoiceId">The invoice on the order (the ERP document's receipt).</param>
/// <param name="InvoiceNumber">The number printed on the invoice.</param>
/// <param name="Amount">Amount of this invoice.</param>
/// <param name="InvoicedAmount">Everything invoiced on the order so far, this invoice included.</param>
/// <param name="TotalAmount">The order total.</param>
/// <param name="IssuedAt">When it was issued, as the ERP wrote it.</param>
public sealed record OrderInvoiced(Guid OrderId, string OrderNumber, string CustomerCode, string OwnerUserId, Guid InvoiceId, string InvoiceNumber,
    decimal Amount, decimal InvoicedAmount, decimal TotalAmount, DateTimeOffset IssuedAt);
