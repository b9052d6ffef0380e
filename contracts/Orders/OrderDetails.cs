namespace Crm.Contracts.Orders;

/// <summary>
/// Answer to <see cref="GetOrder"/>: the order with its lifecycle state and what the ERP reported for it (shipments, invoices,
/// payments, oldest first, each time with the offset the ERP wrote it with; null from a hub that does not record them).
/// </summary>
public sealed record OrderDetails(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    string OwnerUserId,
    string Channel,
    IReadOnlyList<OrderLine> Lines,
    decimal TotalAmount,
    string Status,
    string? ErpSalesOrderNumber,
    string? BillingChargeId,
    string? FailureReason,
    DateTimeOffset PlacedAt,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<OrderShipmentRecord>? Shipments = null,
    IReadOnlyList<OrderInvoiceRecord>? Invoices = null,
    IReadOnlyList<OrderPaymentRecord>? Payments = null);
