using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Endpoints.Orders;
using Hub.TestSupport;
using MassTransit;

namespace Hub.Tests.Orders;

/// <summary>
/// The order saga running the domain's lifecycle over a real store: the happy path with several work orders, approval, every
/// failure path with its compensation, late effects, duplicates and events out of order.
/// </summary>
public sealed class OrderStateMachineTests : IAsyncLifetime
{
    private OrderFlow _flow = null!;

    // Orders above 1,000 wait for a manager; the deadlines are far enough never to interfere.
    public async Task InitializeAsync() => _flow = await OrderFlow.StartAsync(new Dictionary<string, string?>
    {
        ["Orders:Approval:Threshold"] = "1000",
    });

    public async Task DisposeAsync() => await _flow.DisposeAsync();

    private static Fault<T> FaultOf<T>(T message, string error) where T : class =>
        new MassTransit.Events.FaultEvent<T>(message, NewId.NextGuid(), MassTransit.Metadata.HostMetadataCache.Host, new HttpRequestException(error),
            [$"urn:message:{typeof(T).Namespace}:{typeof(T).Name}"]);

    [Fact]
    public async Task Order_with_two_work_orders_is_billed_and_provisioned_per_work_order_then_audited_completed_archived_and_closed()
    {
        var id = await _flow.Place();
        var workOrders = await _flow.WorkOrders(id);

        Assert.Equal(2, workOrders.Length);
        var charges = await _flow.AtLeast<CreateBillingCharge>(2, c => c.OrderId == id);
        Assert.Equal([199m, 270m], charges.OrderBy(c => c.Amount).Select(c => c.Amount));
        Assert.Equal(workOrders.Select(w => (Guid?)w.Id).Order(), charges.Select(c => c.WorkOrderId).Order());
        var provisions = await _flow.AtLeast<ProvisionErpResources>(2, p => p.OrderId == id);
        Assert.Equal(["BB-100M", "IPTV-BOX"], provisions.Select(p => p.ProductCode).Order());
        Assert.Empty(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));

        await _flow.FulfilEvery(id);
        var audited = await _flow.InStatus(id, OrderStatus.Audited);
        Assert.True(audited.Audit!.Passed);
        Assert.All(audited.WorkOrders, w => Assert.Equal(WorkOrderStatus.Succeeded, w.Status));
        var completion = Assert.Single(await _flow.AtLeast<CreateErpSalesOrder>(1, c => c.OrderId == id));
        Assert.Equal(469m, completion.TotalAmount);

        await _flow.Publish(new ErpSalesOrderCreated(id, "ERP-7"));
        var closed = await _flow.InStatus(id, OrderStatus.Closed);
        Assert.All(closed.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Active, p.Status));
        Assert.Equal(
            ["Place", "ApproveAutomatically", "Decompose", "AllWorkOrdersSucceeded", "PassAudit", "Complete", "Archive", "Close"],
            closed.History.Select(h => h.Trigger));
        var completed = Assert.Single(await _flow.AtLeast<OrderCompleted>(1, c => c.OrderId == id));
        Assert.Equal(("ERP-7", "CH-1,CH-2"), (completed.ErpSalesOrderNumber, completed.BillingChargeId));
        var closedEvent = Assert.Single(await _flow.AtLeast<OrderClosed>(1, c => c.OrderId == id));
        Assert.Equal(2, closedEvent.ProductInstances.Count(p => p.Status == "Active"));
        var statuses = _flow.Seen<OrderStatusChanged>(s => s.OrderId == id).Select(s => s.Status).ToArray();
        Assert.Equal(["Approved", "Fulfilling", "Auditing", "Audited", "Completed", "Archived", "Closed"], statuses);
        Assert.Null((await _flow.Saga(id))!.DeadlineTokenId);
    }

    [Fact]
    public async Task Order_above_the_threshold_waits_for_a_manager_and_is_fulfilled_once_approved()
    {
        var id = await _flow.Place([new OrderLine("MPLS-1G", null, 1, 5000m)]);
        var waiting = await _flow.InStatus(id, OrderStatus.AwaitingApproval);
        Assert.Equal(ApprovalState.Awaiting, waiting.Approval);
        var asked = Assert.Single(await _flow.AtLeast<OrderApprovalRequired>(1, a => a.OrderId == id));
        Assert.Equal(("sales-li", 5000m), (asked.OwnerUserId, asked.TotalAmount));
        Assert.Empty(_flow.Seen<CreateBillingCharge>(c => c.OrderId == id));

        var answer = await _flow.Ask(new ApproveOrder(id, NewId.NextGuid(), "mgr-chen", waiting.History.Count, DateTimeOffset.UtcNow));

        var details = Assert.IsType<OrderDetails>(answer);
        Assert.Equal((OrderStatus.Fulfilling, "Approved", "mgr-chen"), (details.Status, details.Approval, details.ApproverId));
        Assert.Single(details.WorkOrders!);
        await _flow.AtLeast<CreateBillingCharge>(1, c => c.OrderId == id && c.Amount == 5000m);
        var history = details.History!;
        Assert.Equal(("AwaitingApproval", "Approved", "mgr-chen"), (history[2].From, history[2].To, history[2].Actor));
    }

    [Fact]
    public async Task Owner_cannot_approve_and_a_stale_version_is_a_conflict_then_the_manager_rejects_with_the_reason()
    {
        var id = await _flow.Place([new OrderLine("MPLS-1G", null, 1, 5000m)]);
        var waiting = await _flow.InStatus(id, OrderStatus.AwaitingApproval);

        var own = Assert.IsType<OrderCommandRejected>(await _flow.Ask(new ApproveOrder(id, NewId.NextGuid(), "sales-li", null, DateTimeOffset.UtcNow)));
        Assert.False(own.Conflict);
        Assert.Contains("approverId", own.Errors.Keys);
        var stale = Assert.IsType<OrderCommandRejected>(await _flow.Ask(new RejectOrder(id, NewId.NextGuid(), "mgr-chen", "too big", 1, DateTimeOffset.UtcNow)));
        Assert.True(stale.Conflict);
        Assert.Equal(waiting.History.Count, stale.CurrentVersion);
        var unknown = await _flow.Ask(new ApproveOrder(Guid.NewGuid(), NewId.NextGuid(), "mgr-chen", null, DateTimeOffset.UtcNow));
        Assert.IsType<OrderNotFound>(unknown);

        var reject = new RejectOrder(id, NewId.NextGuid(), "mgr-chen", "discount not agreed", waiting.History.Count, DateTimeOffset.UtcNow);
        Assert.Equal(OrderStatus.Rejected, Assert.IsType<OrderDetails>(await _flow.Ask(reject)).Status);
        // The same command again is taken once and answers the order as it stands.
        Assert.Equal(OrderStatus.Rejected, Assert.IsType<OrderDetails>(await _flow.Ask(reject)).Status);

        var rejected = await _flow.InStatus(id, OrderStatus.Rejected);
        Assert.Equal("discount not agreed", rejected.EndReason);
        Assert.Equal(ApprovalState.Rejected, rejected.Approval);
        Assert.All(rejected.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Cancelled, p.Status));
        Assert.Single(rejected.History, h => h.Trigger == "Reject");
        Assert.Empty(_flow.Seen<CreateBillingCharge>(c => c.OrderId == id));
    }

    [Fact]
    public async Task Billing_refusing_one_work_order_reverses_the_other_charge_and_releases_every_resource_then_fails()
    {
        var id = await _flow.Place();
        var (first, second) = (await _flow.WorkOrders(id)) is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        await _flow.Charged(id, first, "CH-1", 199m);
        await _flow.Provisioned(id, first, "PRV-1");
        await _flow.Publish(new BillingChargeRejected(id, "insufficient credit", second.Id));

        await _flow.InStatus(id, OrderStatus.Compensating);
        Assert.Single(await _flow.AtLeast<ReverseBillingCharge>(1, r => r.OrderId == id), r => r.WorkOrderId == first.Id && r.ChargeId == "CH-1");
        await _flow.AtLeast<ReleaseErpResources>(1, r => r.WorkOrderId == first.Id && r.ProvisioningId == "PRV-1");
        // The second work order's provisioning was still under way: it lands now and is released as well.
        await _flow.Provisioned(id, second, "PRV-2");
        await _flow.AtLeast<ReleaseErpResources>(1, r => r.WorkOrderId == second.Id && r.ProvisioningId == "PRV-2");

        await _flow.Publish(new BillingChargeReversed(id, first.Id));
        await _flow.Publish(new ErpResourcesReleased(first.Id, id, "PRV-1"));
        await _flow.Publish(new ErpResourcesReleased(second.Id, id, "PRV-2"));
        var failed = await _flow.InStatus(id, OrderStatus.Failed);
        Assert.Contains("insufficient credit", failed.EndReason);
        Assert.Equal(WorkOrderStatus.Failed, failed.WorkOrders.Single(w => w.Id == second.Id).Status);
        Assert.Single(await _flow.AtLeast<OrderFailed>(1, f => f.OrderId == id), f => f.Reason.Contains("insufficient credit"));
        Assert.Empty(_flow.Seen<ReverseBillingCharge>(r => r.WorkOrderId == second.Id));
    }

    [Fact]
    public async Task Provisioning_failure_after_every_retry_releases_resources_and_reverses_charges()
    {
        var id = await _flow.Place();
        var (first, second) = (await _flow.WorkOrders(id)) is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        await _flow.Charged(id, first, "CH-1", 199m);
        await _flow.Charged(id, second, "CH-2", 270m);
        await _flow.Provisioned(id, first, "PRV-1");
        await _flow.Publish(FaultOf(new ProvisionErpResources(second.Id, id, "SO1", "IPTV-BOX", 1), "connection refused"));

        await _flow.InStatus(id, OrderStatus.Compensating);
        var reversals = await _flow.AtLeast<ReverseBillingCharge>(2, r => r.OrderId == id);
        Assert.Equal(["CH-1", "CH-2"], reversals.Select(r => r.ChargeId).Order());
        Assert.Single(await _flow.AtLeast<ReleaseErpResources>(1, r => r.OrderId == id), r => r.ProvisioningId == "PRV-1");

        await _flow.Publish(new BillingChargeReversed(id, first.Id));
        await _flow.Publish(new BillingChargeReversed(id, second.Id));
        await _flow.Publish(new ErpResourcesReleased(first.Id, id, "PRV-1"));
        var failed = await _flow.InStatus(id, OrderStatus.Failed);
        Assert.Contains("connection refused", failed.EndReason);
    }

    [Fact]
    public async Task Failed_audit_compensates_and_ends_failed_with_the_audit_reason()
    {
        var id = await _flow.Place();
        var (first, second) = (await _flow.WorkOrders(id)) is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        await _flow.Charged(id, first, "CH-1", 199m);
        await _flow.Charged(id, second, "CH-2", 300m); // billing charged the list price, not the discounted amount
        await _flow.Provisioned(id, first, "PRV-1");
        await _flow.Provisioned(id, second, "PRV-2");

        var compensating = await _flow.InStatus(id, OrderStatus.Compensating);
        Assert.False(compensating.Audit!.Passed);
        Assert.Contains("charged 499 but the order totals 469", compensating.Audit.Reason);
        await _flow.AtLeast<ReverseBillingCharge>(2, r => r.OrderId == id);
        await _flow.AtLeast<ReleaseErpResources>(2, r => r.OrderId == id);
        Assert.Empty(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));

        foreach (var w in new[] { first, second })
        {
            await _flow.Publish(new BillingChargeReversed(id, w.Id));
            await _flow.Publish(new ErpResourcesReleased(w.Id, id, "PRV"));
        }
        var failed = await _flow.InStatus(id, OrderStatus.Failed);
        Assert.StartsWith("audit failed: ", failed.EndReason);
    }

    [Fact]
    public async Task Customer_cancelling_while_fulfilling_undoes_every_effect_including_late_ones_and_ends_cancelled()
    {
        var id = await _flow.Place();
        var (first, second) = (await _flow.WorkOrders(id)) is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        await _flow.Charged(id, first, "CH-1", 199m);
        var before = await _flow.Order(id);

        var answer = await _flow.Ask(new CancelOrder(id, NewId.NextGuid(), "sales-li", "moved abroad", before.History.Count, DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Compensating, Assert.IsType<OrderDetails>(answer).Status);
        await _flow.AtLeast<ReverseBillingCharge>(1, r => r.WorkOrderId == first.Id);

        // Effects still under way land after the cancellation and are undone as they land.
        await _flow.Provisioned(id, first, "PRV-1");
        await _flow.Charged(id, second, "CH-2", 270m);
        await _flow.Publish(new BillingChargeRejected(id, "late refusal", second.Id)); // a duplicate outcome of a settled branch changes nothing
        await _flow.Publish(new ErpProvisioningRejected(second.Id, id, "no stock"));
        await _flow.AtLeast<ReleaseErpResources>(1, r => r.WorkOrderId == first.Id);
        await _flow.AtLeast<ReverseBillingCharge>(1, r => r.WorkOrderId == second.Id && r.ChargeId == "CH-2");

        await _flow.Publish(new BillingChargeReversed(id, first.Id));
        await _flow.Publish(new BillingChargeReversed(id, second.Id));
        await _flow.Publish(new ErpResourcesReleased(first.Id, id, "PRV-1"));
        var cancelled = await _flow.InStatus(id, OrderStatus.Cancelled);
        Assert.Equal("cancelled by the customer: moved abroad", cancelled.EndReason);
        Assert.True(cancelled.CancellationRequested);
        Assert.Empty(_flow.Seen<OrderFailed>(f => f.OrderId == id));
    }

    [Fact]
    public async Task Charge_landing_after_the_order_failed_is_reversed()
    {
        var id = await _flow.Place([new OrderLine("BB-100M", "FTTH", 1, 199m)]);
        var workOrder = Assert.Single(await _flow.WorkOrders(id));
        await _flow.Publish(new ErpProvisioningRejected(workOrder.Id, id, "no port free"));
        await _flow.InStatus(id, OrderStatus.Compensating);
        await _flow.Publish(FaultOf(new CreateBillingCharge(id, "SO1", "C1001", 199m, "CNY", workOrder.Id), "timeout"));
        await _flow.InStatus(id, OrderStatus.Failed);

        // Billing took the charge after all (its answer was lost, the retry found it): reversed as it lands.
        await _flow.Charged(id, workOrder, "CH-LATE", 199m);
        var reversal = Assert.Single(await _flow.AtLeast<ReverseBillingCharge>(1, r => r.OrderId == id));
        Assert.Equal((workOrder.Id, "CH-LATE"), (reversal.WorkOrderId, reversal.ChargeId));
        await _flow.Charged(id, workOrder, "CH-LATE", 199m);
        await _flow.Harness.InactivityTask;
        Assert.Single(_flow.Seen<ReverseBillingCharge>(r => r.OrderId == id));
        Assert.Equal(OrderStatus.Failed, (await _flow.Order(id)).Status);
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_partner_events_change_nothing()
    {
        var id = await _flow.Place();
        await _flow.Publish(new OrderPlaced(id, "SO-DUP", "C1001", "sales-li", OrderFlow.TwoProducts, 469m, null, DateTimeOffset.UtcNow));
        var (first, second) = (await _flow.WorkOrders(id)) is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        // Provisioning answers before billing, each twice; a reversal nobody asked for and an unknown work order are ignored.
        await _flow.Provisioned(id, second, "PRV-2");
        await _flow.Provisioned(id, second, "PRV-2");
        await _flow.Publish(new BillingChargeReversed(id, first.Id));
        await _flow.Publish(new BillingChargeCreated(id, "CH-X", Guid.NewGuid(), 1m));
        await _flow.Provisioned(id, first, "PRV-1");
        await _flow.Charged(id, second, "CH-2", 270m);
        await _flow.Charged(id, second, "CH-2", 270m);
        await _flow.Charged(id, first, "CH-1", 199m);
        await _flow.InStatus(id, OrderStatus.Audited);
        await _flow.Charged(id, first, "CH-1", 199m);
        await _flow.Publish(new ErpSalesOrderCreated(id, "ERP-1"));
        await _flow.Publish(new ErpSalesOrderCreated(id, "ERP-1"));
        var closed = await _flow.InStatus(id, OrderStatus.Closed);
        await _flow.Harness.InactivityTask;

        Assert.Equal(2, _flow.Seen<CreateBillingCharge>(c => c.OrderId == id).Length);
        Assert.Equal(2, _flow.Seen<ProvisionErpResources>(c => c.OrderId == id).Length);
        Assert.Single(_flow.Seen<CreateErpSalesOrder>(c => c.OrderId == id));
        Assert.Single(_flow.Seen<OrderCompleted>(c => c.OrderId == id));
        Assert.Single(_flow.Seen<OrderClosed>(c => c.OrderId == id));
        Assert.Empty(_flow.Seen<ReverseBillingCharge>(c => c.OrderId == id));
        Assert.Single(closed.History, h => h.Trigger == "AllWorkOrdersSucceeded");
        Assert.Equal(OrderStatus.Closed, (await _flow.Order(id)).Status);
    }
}

/// <summary>Deadlines (时限) per state, from configuration: the alarm, and the table's DeadlinePassed step where it has one.</summary>
public sealed class OrderDeadlineTests
{
    [Fact]
    public async Task Missed_fulfilment_deadline_raises_an_alarm_and_compensates_what_already_happened()
    {
        await using var flow = await OrderFlow.StartAsync(new Dictionary<string, string?> { ["Orders:Lifecycle:Deadlines:Fulfilling"] = "00:00:02" });
        var id = await flow.Place([new OrderLine("BB-100M", null, 1, 199m)]);
        var workOrder = Assert.Single(await flow.WorkOrders(id));
        await flow.Charged(id, workOrder, "CH-1", 199m);

        var alarm = Assert.Single(await flow.AtLeast<OrderDeadlineExceeded>(1, a => a.OrderId == id));
        Assert.Equal("Fulfilling", alarm.State);
        var compensating = await flow.InStatus(id, OrderStatus.Compensating);
        Assert.Equal("the Fulfilling deadline passed", compensating.EndReason);
        Assert.Single(await flow.AtLeast<ReverseBillingCharge>(1, r => r.OrderId == id), r => r.ChargeId == "CH-1");
        Assert.Equal("DeadlinePassed", compensating.History[^1].Trigger);
    }

    [Fact]
    public async Task Missed_approval_deadline_alarms_and_alarms_again_while_the_order_keeps_waiting()
    {
        await using var flow = await OrderFlow.StartAsync(new Dictionary<string, string?>
        {
            ["Orders:Approval:Threshold"] = "100",
            ["Orders:Lifecycle:Deadlines:AwaitingApproval"] = "00:00:02",
        });
        var id = await flow.Place([new OrderLine("MPLS-1G", null, 1, 5000m)]);
        await flow.InStatus(id, OrderStatus.AwaitingApproval);

        var alarms = await flow.AtLeast<OrderDeadlineExceeded>(2, a => a.OrderId == id);
        Assert.All(alarms, a => Assert.Equal("AwaitingApproval", a.State));
        Assert.Equal(alarms.Length, alarms.Select(a => a.DeadlineAt).Distinct().Count()); // each repeat is its own alarm, so it escalates
        // The table has no DeadlinePassed step from AwaitingApproval: the order still waits for its manager.
        var order = await flow.Order(id);
        Assert.Equal(OrderStatus.AwaitingApproval, order.Status);
        Assert.True((await flow.Saga(id))!.AlarmsRaised >= 2);
    }
}
