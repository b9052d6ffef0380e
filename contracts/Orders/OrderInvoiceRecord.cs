namespace Crm.Contracts.Orders;

/// <summary>An invoice the ERP issued for an order, part of <see cref="OrderDetails"/>; <paramref name="IssuedAt"/> keeps the ERP's offset.</summary>
public sealed record OrderInvoiceRecord(Guid ReceiptId, string InvoiceNumber, decimal Amount, DateTimeOffset IssuedAt);
