using Crm.Contracts.Orders;

namespace Crm.Contracts.Erp;

/// <summary>Command to the ERP gateway: create the sales order for an order. The order id is the idempotency key.</summary>
public sealed record CreateErpSalesOrder(Guid OrderId, string OrderNumber, string CustomerCode, IReadOnlyList<OrderLine> Lines, decimal TotalAmount);
