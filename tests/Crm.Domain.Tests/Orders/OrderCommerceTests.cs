using Crm.Domain.Orders;

namespace Crm.Domain.Tests.Orders;

public class OrderCommerceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly StateChangeCause Saga = new("order-saga", Now);

    private static Order Fulfilling(params OrderItem[] items)
    {
        var order = Order.Place(Guid.NewGuid(), "C1001", "sales-li", items, null, "mobile", Now);
        order.SubmitForApproval(new OrderApprovalPolicy { Threshold = 100_000m }, Saga);
        order.Decompose(Saga);
        return order;
    }

    private static Order Audited()
    {
        var order = Fulfilling(new OrderItem("BB-100M", "FTTH", 1, 199m, 0m));
        foreach (var w in order.WorkOrders)
        {
            order.RecordBilled(w.Id, "CH-" + w.Number, Saga);
            order.RecordProvisioned(w.Id, "RS-" + w.Number, Saga);
        }
        order.RecordAudit(OrderAudit.Pass("order-audit", Now));
        return order;
    }

    [Fact]
    public void Shipment_by_product_fills_the_lines_of_that_product_earliest_first()
    {
        var order = Fulfilling(new OrderItem("AXLE", null, 2, 100m, 0m), new OrderItem("BOX", null, 1, 300m, 0m), new OrderItem("axle", "long", 3, 120m, 0m));

        var shipment = order.ShipProducts(Guid.NewGuid(), [new ShippedProduct("AXLE", 4), new ShippedProduct("BOX", 1)], Now, "WB-1");

        Assert.Equal([new ShipmentLine(0, 2), new ShipmentLine(1, 1), new ShipmentLine(2, 2)], shipment.Lines);
        Assert.Equal((2, 1, 2, false), (order.ShippedQuantity(0), order.ShippedQuantity(1), order.ShippedQuantity(2), order.IsFullyShipped));
    }

    [Fact]
    public void Shipment_by_product_beyond_what_is_left_or_of_a_product_not_ordered_is_refused_and_records_nothing()
    {
        var order = Fulfilling(new OrderItem("AXLE", null, 2, 100m, 0m));
        order.ShipProducts(Guid.NewGuid(), [new ShippedProduct("AXLE", 1)], Now);

        var ex = Assert.Throws<DomainRuleViolation>(() =>
            order.ShipProducts(Guid.NewGuid(), [new ShippedProduct("AXLE", 2), new ShippedProduct("WHEEL", 1)], Now));

        Assert.Equal(["lines[0].quantity", "lines[1].productCode"], ex.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("only 1 left to ship of product AXLE", ex.Errors["lines[0].quantity"]);
        Assert.Single(order.Shipments);
        Assert.Equal(1, order.ShippedQuantity(0));
    }

    [Fact]
    public void The_same_shipment_by_product_again_changes_nothing()
    {
        var order = Fulfilling(new OrderItem("AXLE", null, 2, 100m, 0m));
        var id = Guid.NewGuid();
        var first = order.ShipProducts(id, [new ShippedProduct("AXLE", 2)], Now);

        Assert.Same(first, order.ShipProducts(id, [new ShippedProduct("AXLE", 2)], Now));
        Assert.Single(order.Shipments);
    }

    [Fact]
    public void ERP_refusing_the_completion_stops_the_order_with_its_reason_until_it_is_resent()
    {
        var order = Audited();

        order.RefuseCompletion("customer account C1001 is blocked in ERP", new StateChangeCause("order-saga", Now.AddMinutes(1), Guid.NewGuid()));

        Assert.Equal((OrderStatus.CompletionRefused, "customer account C1001 is blocked in ERP"), (order.Status, order.CompletionRefusal));
        Assert.Null(OrderLifecycle.Default.DeadlineIn(OrderStatus.CompletionRefused));
        Assert.False(OrderLifecycle.Default.IsFinal(OrderStatus.CompletionRefused));
        Assert.Throws<DomainRuleViolation>(() => order.Complete(Saga with { At = Now.AddMinutes(2) }));

        var resend = new StateChangeCause("manager-zhao", Now.AddMinutes(3), Guid.NewGuid());
        order.ResendCompletion(resend);
        order.ResendCompletion(resend);

        Assert.Equal((OrderStatus.Audited, (string?)null), (order.Status, order.CompletionRefusal));
        Assert.Equal([OrderLifecycle.Triggers.RefuseCompletion, OrderLifecycle.Triggers.ResendCompletion], order.History.TakeLast(2).Select(h => h.Trigger));
        Assert.Equal("manager-zhao", order.History[^1].Actor);
    }

    [Fact]
    public void Completion_cannot_be_resent_unless_ERP_refused_it_and_a_refusal_needs_a_reason()
    {
        var order = Audited();
        Assert.Contains("status", Assert.Throws<DomainRuleViolation>(() => order.ResendCompletion(new StateChangeCause("manager-zhao", Now))).Errors.Keys);
        Assert.Contains("reason", Assert.Throws<DomainRuleViolation>(() => order.RefuseCompletion(" ", new StateChangeCause("order-saga", Now))).Errors.Keys);
        Assert.Equal(OrderStatus.Audited, order.Status);
    }

    [Fact]
    public void An_order_whose_completion_was_refused_can_still_ship_and_be_cancelled_with_compensation()
    {
        var order = Audited();
        order.RefuseCompletion("ERP period closed", new StateChangeCause("order-saga", Now.AddMinutes(1)));

        order.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 1)], Now.AddMinutes(2));
        order.Cancel("no longer needed", new StateChangeCause("sales-li", Now.AddMinutes(3)));

        Assert.Equal((OrderStatus.Compensating, true), (order.Status, order.CancellationRequested));
    }

    [Fact]
    public void A_closed_order_still_ships_and_is_invoiced_but_one_that_ended_without_completing_does_not()
    {
        var closed = Audited();
        closed.Complete(new StateChangeCause("order-saga", Now.AddMinutes(1)));
        closed.Archive(new StateChangeCause("order-saga", Now.AddMinutes(2)));
        closed.Close(new StateChangeCause("order-saga", Now.AddMinutes(3)));
        closed.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 1)], Now.AddDays(1));
        closed.IssueInvoice(Guid.NewGuid(), "FP-1", 199m, Now.AddDays(1));
        Assert.True(closed.IsFullyShipped);

        var cancelled = Fulfilling(new OrderItem("BB-100M", "FTTH", 1, 199m, 0m));
        cancelled.Cancel("changed mind", new StateChangeCause("sales-li", Now.AddMinutes(1)));
        cancelled.FinishCompensation(new StateChangeCause("order-saga", Now.AddMinutes(2)));
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Contains("status", Assert.Throws<DomainRuleViolation>(() => cancelled.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 1)], Now)).Errors.Keys);
        Assert.Contains("status", Assert.Throws<DomainRuleViolation>(() => cancelled.IssueInvoice(Guid.NewGuid(), "FP-2", 1m, Now)).Errors.Keys);
    }
}
