namespace Crm.Contracts.Orders;

/// <summary>Event: ERP holds the sales order and billing holds the charge; the order is done.</summary>
public sealed record OrderCompleted(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    string OwnerUserId,
    string ErpSalesOrderNumber,
    string BillingChargeId,
    decimal TotalAmount,
    string? ContactEmail,
    DateTimeOffset CompletedAt);
