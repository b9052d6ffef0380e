using Crm.Contracts.Orders;
using Crm.Domain.Orders;

namespace Hub.Endpoints.Orders;

/// <summary>Between the wire's order records and the domain's <see cref="Order"/>.</summary>
internal static class OrderMapping
{
    public static OrderItem ToItem(OrderLine line) =>
        new(line.ProductCode, line.SpecModel, line.Quantity, line.UnitPrice, line.Discount);

    public static OrderLine ToLine(OrderItem item) =>
        new(item.ProductCode, item.SpecModel, item.Quantity, item.UnitPrice, item.Discount);

    public static ProductInstanceSummary ToSummary(ProductInstance p) =>
        new(p.Id, p.LineIndex, p.ProductCode, p.SpecModel, p.Quantity, p.Status.ToString(), p.ActivatedAt);

    public static WorkOrderSummary ToSummary(WorkOrder w) =>
        new(w.Id, w.Number, w.LineIndex, w.ProductCode, w.Quantity, w.Status.ToString(), w.ChargeReference, w.ResourceReference, w.FailureReason);

    /// <summary>
    /// The order as every channel sees it. Its version is the length of its history (each step adds one), the ETag of the
    /// approval, rejection and cancellation routes. Orders stored before the lifecycle moved into the domain report the state
    /// their saga reached.
    /// </summary>
    public static OrderDetails ToDetails(Order order, OrderState? saga) => new(order.Id, order.Number, order.CustomerCode, order.OwnerUserId,
        order.Channel, order.Items.Select(ToLine).ToArray(), order.TotalAmount,
        order.History.Count > 0 ? order.Status : saga?.CurrentState is { Length: > 0 } s && s != "Initial" ? s : order.Status,
        saga?.ErpSalesOrderNumber, saga?.BillingChargeId, order.EndReason ?? saga?.FailureReason, order.PlacedAt, saga?.UpdatedAt,
        order.History.Count, order.Approval.ToString(), order.ApproverId,
        order.WorkOrders.OrderBy(w => w.LineIndex).Select(ToSummary).ToArray(),
        order.ProductInstances.OrderBy(p => p.LineIndex).Select(ToSummary).ToArray(),
        order.History.Select((h, i) => new OrderHistoryEntry(i + 1, h.From, h.To, h.Trigger, h.At, h.Actor, h.Reason, h.MessageId)).ToArray());
}
