namespace Crm.Contracts.Orders;

/// <summary>Answer to <see cref="GetOrder"/>: the order with its lifecycle state.</summary>
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
    DateTimeOffset? UpdatedAt);
