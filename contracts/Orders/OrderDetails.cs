namespace Crm.Contracts.Orders;

/// <summary>
/// Answer to <see cref="GetOrder"/>: the order with its lifecycle state. <see cref="Version"/> counts the steps of its
/// history (its ETag); <see cref="History"/> lists them, oldest first.
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
    IReadOnlyList<OrderHistoryEntry>? History = null);
