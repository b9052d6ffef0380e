using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using MassTransit;

namespace Hub.Tests.Orders;

/// <summary>
/// ERP refusing the completion report (its business answer to the sales order): the order stops in CompletionRefused with the
/// reason, the owner is told once and no alarm repeats; a manager resends it and the order completes, or the customer cancels.
/// </summary>
public sealed class OrderCompletionRefusedTests : IAsyncLifetime
{
    private OrderFlow _flow = null!;

    // A short Audited deadline: a refused order still counted as Audited would have a deadline scheduled (and alarm repeatedly).
    public async Task InitializeAsync() => _flow = await OrderFlow.StartAsync(new Dictionary<string, string?>
    {
        ["Orders:Lifecycle:Deadlines:Audited"] = "00:00:05",
    });

    public async Task DisposeAsync() => await _flow.DisposeAsync();

    private async Task<Guid> Refused(string reason)
    {
        var id = await _flow.Place();
        await _flow.WorkOrders(id);
        await _flow.FulfilEvery(id);
        await _flow.AtLeast<CreateErpSalesOrder>(1, c => c.OrderId == id);
        await _flow.Publish(new ErpSalesOrderRejected(id, reason));
        await _flow.InStatus(id, OrderStatus.CompletionRefused);
        return id;
    }

    [Fact]
    public async Task Refused_completion_stops_the_order_with_the_reason_and_tells_the_owner_once_without_repeating_alarms()
    {
        var id = await Refused("customer C1001 is blocked for credit");
        await _flow.Publish(new ErpSalesOrderRejected(id, "customer C1001 is blocked for credit"));
        await _flow.Harness.InactivityTask;

        var order = await _flow.Order(id);
        Assert.Equal("ERP refused the sales order: customer C1001 is blocked for credit", order.CompletionRefusal);
        Assert.Equal(("Audited", "RefuseCompletion"), (order.History[^1].From, order.History[^1].Trigger));
        var told = Assert.Single(_flow.Seen<OrderCompletionRefused>(r => r.OrderId == id));
        Assert.Equal(("sales-li", order.CompletionRefusal), (told.OwnerUserId, told.Reason));
        Assert.Empty(_flow.Seen<OrderDeadlineExceeded>(a => a.OrderId == id));
        Assert.Null((await _flow.Saga(id))!.DeadlineTokenId);
        Assert.Equal(OrderStatus.CompletionRefused, (await _flow.Saga(id))!.Status);
    }

    [Fact]
    public async Task Manager_resends_the_refused_completion_once_and_the_order_completes_when_ERP_takes_it()
    {
        var id = await Refused("period closed");
        var refused = await _flow.Order(id);
        var resend = new ResendOrderCompletion(id, NewId.NextGuid(), "mgr-chen", refused.History.Count, DateTimeOffset.UtcNow);

        var answer = Assert.IsType<OrderDetails>(await _flow.Ask(resend));
        Assert.Equal(OrderStatus.Audited, answer.Status);
        Assert.Equal(OrderStatus.Audited, Assert.IsType<OrderDetails>(await _flow.Ask(resend)).Status);
        Assert.Equal(2, (await _flow.AtLeast<CreateErpSalesOrder>(2, c => c.OrderId == id)).Length);

        await _flow.Publish(new ErpSalesOrderCreated(id, "ERP-9"));
        var closed = await _flow.InStatus(id, OrderStatus.Closed);
        Assert.Equal(["PassAudit", "RefuseCompletion", "ResendCompletion", "Complete", "Archive", "Close"],
            closed.History.SkipWhile(h => h.Trigger != "PassAudit").Select(h => h.Trigger));
        Assert.Equal("mgr-chen", closed.History.Single(h => h.Trigger == "ResendCompletion").Actor);
        Assert.Equal(2, _flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id).Length);
    }

    [Fact]
    public async Task Completion_is_resent_only_after_a_refusal_and_a_refused_order_can_be_cancelled_with_compensation()
    {
        var id = await _flow.Place();
        await _flow.WorkOrders(id);
        var early = Assert.IsType<OrderCommandRejected>(await _flow.Ask(new ResendOrderCompletion(id, NewId.NextGuid(), "mgr-chen", null, DateTimeOffset.UtcNow)));
        Assert.Contains("status", early.Errors.Keys);
        Assert.IsType<OrderNotFound>(await _flow.Ask(new ResendOrderCompletion(Guid.NewGuid(), NewId.NextGuid(), "mgr-chen", null, DateTimeOffset.UtcNow)));

        await _flow.FulfilEvery(id);
        await _flow.Publish(new ErpSalesOrderRejected(id, "period closed"));
        await _flow.InStatus(id, OrderStatus.CompletionRefused);
        var cancelled = Assert.IsType<OrderDetails>(await _flow.Ask(new CancelOrder(id, NewId.NextGuid(), "sales-li", "no longer needed", null, DateTimeOffset.UtcNow)));
        Assert.Equal(OrderStatus.Compensating, cancelled.Status);
        Assert.Equal(2, (await _flow.AtLeast<Crm.Contracts.Billing.ReverseBillingCharge>(2, r => r.OrderId == id)).Length);
        Assert.Empty(_flow.Seen<CancelErpSalesOrder>(c => c.OrderId == id));
    }
}
