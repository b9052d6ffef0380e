namespace Crm.Contracts.Orders;

/// <summary>
/// Answer to <see cref="GetOrder"/>: the order with its lifecycle state and what the ERP reported for it (shipments, invoices,
/// payments, oldest first, each time with the offset the ERP wrote it with; null from a hub that does not record them).
/// <see cref="Version"/> counts the steps of its history (its ETag); <see cref="History"/> lists them, oldest first.
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
    long Version = 0,
    string? Approval = null,
    string? ApproverId = null,
    IReadOnlyList<WorkOrderSummary>? WorkOrders = null,
    IReadOnlyList<ProductInstanceSummary>? ProductInstances = null,
    IReadOnlyList<OrderHistoryEntry>? History = null,
    IReadOnlyList<OrderShipmentRecord>? Shipments = null,
    IReadOnlyList<OrderInvoiceRecord>? Invoices = null,
    IReadOnlyList<OrderPaymentRecord>? Payments = null);
