using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using MassTransit;

namespace Hub.Tests.Orders;

/// <summary>
/// The manual audit step (<c>Orders:Audit:Manual</c>): an order the automatic checks pass waits in Auditing for a staff member, who
/// passes it (its completion goes to ERP, once) or refuses it with a reason (it compensates); nothing else moves it on.
/// </summary>
public sealed class OrderManualAuditTests : IAsyncLifetime
{
    private OrderFlow _flow = null!;

    public async Task InitializeAsync() => _flow = await OrderFlow.StartAsync(new Dictionary<string, string?> { ["Orders:Audit:Manual"] = "true" });

    public async Task DisposeAsync() => await _flow.DisposeAsync();

    private async Task<(Guid Id, Order Order)> WaitingForAudit()
    {
        var id = await _flow.Place();
        await _flow.WorkOrders(id);
        await _flow.FulfilEvery(id);
        var order = await _flow.InStatus(id, OrderStatus.Auditing);
        await _flow.Harness.InactivityTask;
        return (id, await _flow.Order(id));
    }

    private static AuditOrder Audit(Guid id, bool passed, string? reason, long? version) =>
        new(id, NewId.NextGuid(), "aud-wu", passed, reason, version, DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_order_the_checks_pass_waits_in_auditing_and_a_staff_pass_sends_its_completion_once()
    {
        var (id, waiting) = await WaitingForAudit();
        Assert.Null(waiting.Audit);
        Assert.Empty(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));
        Assert.Equal(OrderStatus.Auditing, (await _flow.Saga(id))!.Status);

        var pass = Audit(id, passed: true, null, waiting.History.Count);
        Assert.Equal(OrderStatus.Audited, Assert.IsType<OrderDetails>(await _flow.Ask(pass)).Status);
        Assert.Equal(OrderStatus.Audited, Assert.IsType<OrderDetails>(await _flow.Ask(pass)).Status);
        await _flow.AtLeast<CreateErpSalesOrder>(1, c => c.OrderId == id);
        await _flow.Publish(new ErpSalesOrderCreated(id, "ERP-7"));

        var closed = await _flow.InStatus(id, OrderStatus.Closed);
        Assert.Single(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));
        Assert.Equal(("aud-wu", true), (closed.Audit!.AuditorId, closed.Audit.Passed));
        var step = closed.History.Single(h => h.Trigger == "PassAudit");
        Assert.Equal(("aud-wu", pass.CommandId), (step.Actor, step.MessageId));
    }

    [Fact]
    public async Task A_refused_audit_compensates_the_order_with_the_reason_and_a_refusal_needs_one()
    {
        var (id, waiting) = await WaitingForAudit();

        var unexplained = Assert.IsType<OrderCommandRejected>(await _flow.Ask(Audit(id, passed: false, " ", waiting.History.Count)));
        Assert.Contains("audit.reason", unexplained.Errors.Keys);
        var refused = Assert.IsType<OrderDetails>(await _flow.Ask(Audit(id, passed: false, "charged to the wrong account", waiting.History.Count)));

        Assert.Equal(OrderStatus.Compensating, refused.Status);
        Assert.Equal(2, (await _flow.AtLeast<ReverseBillingCharge>(2, r => r.OrderId == id)).Length);
        Assert.Equal(2, (await _flow.AtLeast<ReleaseErpResources>(2, r => r.OrderId == id)).Length);
        var order = await _flow.Order(id);
        Assert.Equal("audit failed: charged to the wrong account", order.EndReason);
        Assert.Equal(("aud-wu", false), (order.Audit!.AuditorId, order.Audit.Passed));
        Assert.Empty(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));
    }

    [Fact]
    public async Task Only_an_order_waiting_for_its_audit_takes_one()
    {
        var id = await _flow.Place();
        await _flow.WorkOrders(id);

        var early = Assert.IsType<OrderCommandRejected>(await _flow.Ask(Audit(id, passed: true, null, null)));
        Assert.False(early.Conflict);
        Assert.Contains("status", early.Errors.Keys);
        Assert.Equal(OrderStatus.Fulfilling, (await _flow.Order(id)).Status);
        Assert.IsType<OrderNotFound>(await _flow.Ask(Audit(Guid.NewGuid(), passed: true, null, null)));
    }
}
