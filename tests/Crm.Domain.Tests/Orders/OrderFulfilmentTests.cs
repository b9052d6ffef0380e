using Crm.Domain.Orders;

namespace Crm.Domain.Tests.Orders;

public class OrderFulfilmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly OrderApprovalPolicy Policy = new() { Threshold = 10_000m };
    private static readonly StateChangeCause Saga = new("order-saga", Now);

    private static StateChangeCause By(string actor, int minutes = 1, Guid? messageId = null) => new(actor, Now.AddMinutes(minutes), messageId);

    private static Order Place(params OrderItem[] items) =>
        Order.Place(Guid.NewGuid(), "C1001", "sales-li", items.Length > 0 ? items : [new OrderItem("BB-100M", "FTTH", 1, 1_000m, 0m), new OrderItem("IPTV", null, 2, 50m, 0m)],
            null, "mobile", Now);

    private static Order Fulfilling(params OrderItem[] items)
    {
        var order = Place(items);
        order.SubmitForApproval(Policy, Saga);
        order.Decompose(Saga);
        return order;
    }

    private static Order Auditing()
    {
        var order = Fulfilling();
        foreach (var w in order.WorkOrders)
        {
            order.RecordBilled(w.Id, "CH-" + w.Number, Saga);
            order.RecordProvisioned(w.Id, "RS-" + w.Number, Saga);
        }
        return order;
    }

    [Fact]
    public void Order_above_approval_threshold_waits_for_a_manager()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 1, 10_000.01m, 0m));
        order.SubmitForApproval(Policy, Saga);
        Assert.Equal((OrderStatus.AwaitingApproval, ApprovalState.Awaiting), (order.Status, order.Approval));

        order.Approve(By("manager-zhao"));
        Assert.Equal((OrderStatus.Approved, ApprovalState.Approved, "manager-zhao"), (order.Status, order.Approval, order.ApproverId));
        Assert.Equal(Now.AddMinutes(1), order.ApprovalDecidedAt);
    }

    [Fact]
    public void Order_at_the_threshold_is_approved_without_a_manager()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 1, 10_000m, 0m));
        order.SubmitForApproval(Policy, Saga);
        Assert.Equal((OrderStatus.Approved, ApprovalState.NotRequired, null), (order.Status, order.Approval, order.ApproverId));
    }

    [Fact]
    public void The_owning_salesperson_cannot_approve_their_own_order()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
        order.SubmitForApproval(Policy, Saga);
        var ex = Assert.Throws<DomainRuleViolation>(() => order.Approve(By("SALES-LI")));
        Assert.Contains("approverId", ex.Errors.Keys);
        Assert.Equal(OrderStatus.AwaitingApproval, order.Status);
    }

    [Fact]
    public void A_rejected_order_ends_and_its_product_instances_never_come_into_service()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
        order.SubmitForApproval(Policy, Saga);
        order.Reject("budget not released", By("manager-zhao"));

        Assert.Equal((OrderStatus.Rejected, ApprovalState.Rejected, "budget not released"), (order.Status, order.Approval, order.EndReason));
        Assert.All(order.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Cancelled, p.Status));
        Assert.Throws<DomainRuleViolation>(() => order.Decompose(Saga));
    }

    [Fact]
    public void Placing_an_order_creates_a_pending_product_instance_per_line()
    {
        var order = Place();
        Assert.Equal(["BB-100M", "IPTV"], order.ProductInstances.Select(p => p.ProductCode));
        Assert.All(order.ProductInstances, p => Assert.Equal((ProductInstanceStatus.Pending, order.Id), (p.Status, p.OrderId)));
        Assert.Equal([new StateChange(null, OrderStatus.Placed, "Place", Now, "sales-li", null, null)], order.History);
    }

    [Fact]
    public void Decomposition_makes_one_work_order_per_main_product_line_with_stable_ids()
    {
        var order = Fulfilling();
        Assert.Equal(OrderStatus.Fulfilling, order.Status);
        Assert.Equal([order.Number + "-01", order.Number + "-02"], order.WorkOrders.Select(w => w.Number));
        Assert.Equal([("BB-100M", 1), ("IPTV", 2)], order.WorkOrders.Select(w => (w.ProductCode, w.Quantity)));
        Assert.All(order.WorkOrders, w => Assert.Equal(WorkOrderStatus.Pending, w.Status));

        var again = Order.Place(order.Id, "C1001", "sales-li", order.Items, null, "mobile", Now);
        again.SubmitForApproval(Policy, Saga);
        Assert.Equal(order.WorkOrders.Select(w => w.Id), again.Decompose(Saga).Select(w => w.Id));
    }

    [Fact]
    public void Order_is_ready_for_audit_only_when_every_work_order_is_billed_and_provisioned()
    {
        var order = Fulfilling();
        var (first, second) = (order.WorkOrders[0], order.WorkOrders[1]);

        order.RecordProvisioned(second.Id, "RS-2", Saga);
        order.RecordBilled(first.Id, "CH-1", Saga);
        Assert.Equal((WorkOrderStatus.Billed, WorkOrderStatus.Provisioned), (first.Status, second.Status));
        order.RecordBilled(second.Id, "CH-2", Saga);
        Assert.False(order.AllWorkOrdersSucceeded);
        Assert.Equal(OrderStatus.Fulfilling, order.Status);

        order.RecordProvisioned(first.Id, "RS-1", By("provisioning", 3));
        Assert.True(order.AllWorkOrdersSucceeded);
        Assert.Equal(OrderStatus.Auditing, order.Status);
        Assert.Equal(OrderLifecycle.Triggers.AllWorkOrdersSucceeded, order.History[^1].Trigger);
    }

    [Fact]
    public void A_confirmation_repeated_with_the_same_reference_changes_nothing_but_a_different_one_is_refused()
    {
        var order = Fulfilling();
        var work = order.WorkOrders[0];
        order.RecordBilled(work.Id, "CH-1", Saga);
        order.RecordBilled(work.Id, "CH-1", By("billing", 5));
        Assert.Equal(Now, work.BilledAt);
        Assert.Contains("chargeReference", Assert.Throws<DomainRuleViolation>(() => order.RecordBilled(work.Id, "CH-9", Saga)).Errors.Keys);
        Assert.Contains("workOrderId", Assert.Throws<DomainRuleViolation>(() => order.RecordBilled(Guid.NewGuid(), "CH-1", Saga)).Errors.Keys);
    }

    [Fact]
    public void Order_with_a_failed_work_order_is_compensated_and_late_effects_are_kept_for_undoing()
    {
        var order = Fulfilling();
        order.RecordBilled(order.WorkOrders[0].Id, "CH-1", Saga);
        order.RecordWorkOrderFailed(order.WorkOrders[1].Id, "no port free at the exchange", By("provisioning"));
        Assert.Equal(OrderStatus.Compensating, order.Status);
        Assert.Equal("no port free at the exchange", order.EndReason);

        order.RecordProvisioned(order.WorkOrders[1].Id, "RS-late", By("provisioning", 2));
        Assert.Equal((WorkOrderStatus.Failed, "RS-late"), (order.WorkOrders[1].Status, order.WorkOrders[1].ResourceReference));
        Assert.Equal(OrderStatus.Compensating, order.Status);

        order.FinishCompensation(By("order-saga", 3));
        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.All(order.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Cancelled, p.Status));
    }

    [Fact]
    public void A_passed_audit_leads_through_completion_and_archive_to_a_closed_order_with_active_products()
    {
        var order = Auditing();
        order.RecordAudit(OrderAudit.Pass("auditor-sun", Now.AddHours(1)));
        Assert.Equal(OrderStatus.Audited, order.Status);
        order.Complete(By("order-saga", 70));
        order.Archive(By("archiver", 80));
        order.Close(By("order-saga", 90, Guid.NewGuid()));

        Assert.Equal(OrderStatus.Closed, order.Status);
        Assert.All(order.ProductInstances, p => Assert.Equal((ProductInstanceStatus.Active, Now.AddMinutes(90)), (p.Status, p.ActivatedAt)));
        Assert.Equal(
            [OrderStatus.Placed, OrderStatus.Approved, OrderStatus.Fulfilling, OrderStatus.Auditing, OrderStatus.Audited, OrderStatus.Completed, OrderStatus.Archived, OrderStatus.Closed],
            order.History.Select(h => h.To));
        Assert.All(order.History.Skip(1), h => Assert.True(OrderLifecycle.Default.Allows(h.From!, h.Trigger)));
        Assert.Equal(("archiver", Now.AddMinutes(80)), (order.History[^2].Actor, order.History[^2].At));
        Assert.NotNull(order.History[^1].MessageId);
    }

    [Fact]
    public void A_failed_audit_needs_a_reason_and_compensates()
    {
        var order = Auditing();
        Assert.Contains("audit.reason", Assert.Throws<DomainRuleViolation>(() => order.RecordAudit(new OrderAudit(false, " ", "auditor-sun", Now))).Errors.Keys);
        order.RecordAudit(OrderAudit.Fail("tariff does not match the contract", "auditor-sun", Now));
        Assert.Equal(OrderStatus.Compensating, order.Status);
        Assert.Equal(false, order.Audit?.Passed);
        Assert.Equal("audit failed: tariff does not match the contract", order.EndReason);
    }

    [Fact]
    public void Customer_cancellation_before_fulfilment_ends_the_order_at_once()
    {
        var order = Place();
        order.Cancel("moved house", By("call-centre-1"));
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.False(order.CancellationRequested);
        Assert.All(order.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Cancelled, p.Status));
    }

    [Fact]
    public void Customer_cancellation_during_fulfilment_is_compensated_and_ends_cancelled()
    {
        var order = Fulfilling();
        order.Cancel("found a cheaper offer", By("call-centre-1"));
        Assert.Equal((OrderStatus.Compensating, true), (order.Status, order.CancellationRequested));
        order.FinishCompensation(By("order-saga", 2));
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(OrderLifecycle.Triggers.CompensatedAfterCancellation, order.History[^1].Trigger);
    }

    [Fact]
    public void A_completed_order_can_no_longer_be_cancelled()
    {
        var order = Auditing();
        order.RecordAudit(OrderAudit.Pass("auditor-sun", Now));
        order.Complete(Saga);
        var ex = Assert.Throws<DomainRuleViolation>(() => order.Cancel("changed my mind", By("call-centre-1")));
        Assert.Contains("status", ex.Errors.Keys);
        Assert.Contains("Archive", ex.Errors["status"][0]);
    }

    [Fact]
    public void A_missed_fulfilment_deadline_compensates_but_a_waiting_approval_only_alarms()
    {
        var order = Fulfilling();
        order.MissDeadline(By("scheduler", 16));
        Assert.Equal((OrderStatus.Compensating, "the Fulfilling deadline passed"), (order.Status, order.EndReason));

        var waiting = Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
        waiting.SubmitForApproval(Policy, Saga);
        Assert.False(OrderLifecycle.Default.Allows(waiting.Status, OrderLifecycle.Triggers.DeadlinePassed));
        Assert.Throws<DomainRuleViolation>(() => waiting.MissDeadline(By("scheduler")));
    }

    [Fact]
    public void A_redelivered_message_changes_nothing()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
        var messageId = Guid.NewGuid();
        order.SubmitForApproval(Policy, By("order-saga", 1, messageId));
        order.SubmitForApproval(Policy, By("order-saga", 2, messageId));
        var approval = Guid.NewGuid();
        order.Approve(By("manager-zhao", 3, approval));
        order.Approve(By("manager-zhao", 4, approval));
        Assert.Equal(3, order.History.Count);
        Assert.Equal(OrderStatus.Approved, order.Status);
    }

    [Fact]
    public void A_step_without_an_actor_is_refused()
    {
        var order = Place();
        Assert.Contains("actor", Assert.Throws<DomainRuleViolation>(() => order.SubmitForApproval(Policy, new StateChangeCause(" ", Now))).Errors.Keys);
    }

    [Fact]
    public void Random_steps_follow_the_lifecycle_table_or_change_nothing()
    {
        Action<Order, StateChangeCause>[] steps =
        [
            (o, c) => o.SubmitForApproval(Policy, c),
            (o, c) => o.Approve(c with { Actor = "manager-zhao" }),
            (o, c) => o.Reject("no", c with { Actor = "manager-zhao" }),
            (o, c) => o.Decompose(c),
            (o, c) => { foreach (var w in o.WorkOrders) o.RecordBilled(w.Id, "CH", c); },
            (o, c) => { foreach (var w in o.WorkOrders) o.RecordProvisioned(w.Id, "RS", c); },
            (o, c) => { if (o.WorkOrders.Count > 0) o.RecordWorkOrderFailed(o.WorkOrders[0].Id, "down", c); },
            (o, c) => o.MissDeadline(c),
            (o, c) => o.RecordAudit(OrderAudit.Pass("auditor", c.At)),
            (o, c) => o.RecordAudit(OrderAudit.Fail("wrong", "auditor", c.At)),
            (o, c) => o.Complete(c),
            (o, c) => o.Archive(c),
            (o, c) => o.Close(c),
            (o, c) => o.Cancel("changed mind", c),
            (o, c) => o.FinishCompensation(c),
        ];
        Property.ForAll(seed: 10, cases: 400, random =>
        {
            var order = random.Next(2) == 0 ? Place() : Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
            for (var i = 0; i < 25; i++)
            {
                var (before, entries) = (order.Status, order.History.Count);
                try
                {
                    random.Pick(steps)(order, By("order-saga", i));
                }
                catch (DomainRuleViolation)
                {
                    Assert.Equal((before, entries), (order.Status, order.History.Count));
                }
                foreach (var change in order.History.Skip(entries))
                    Assert.Equal(OrderLifecycle.Default.Require(change.From!, change.Trigger).To, change.To);
            }
            Assert.Equal(order.Status, order.History[^1].To);
            if (order.Status == OrderStatus.Closed)
                Assert.All(order.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Active, p.Status));
            if (order.Status is OrderStatus.Failed or OrderStatus.Cancelled or OrderStatus.Rejected)
                Assert.All(order.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Cancelled, p.Status));
        });
    }

    [Fact]
    public void The_lifecycle_table_reaches_every_state_and_nothing_leaves_a_final_one()
    {
        var table = OrderLifecycle.Default;
        var reached = new HashSet<string> { OrderStatus.Placed };
        for (var grew = true; grew;)
            grew = table.Transitions.Where(t => reached.Contains(t.From)).Select(t => reached.Add(t.To)).ToArray().Any(x => x);
        Assert.Equal(table.States.ToHashSet(), reached);
        Assert.All(table.FinalStates, s => Assert.Empty(table.From(s)));
        Assert.All(table.States.Except(table.FinalStates), s => Assert.NotEmpty(table.From(s)));
    }

    [Fact]
    public void Each_transition_carries_the_deadline_the_policy_sets_for_its_target_state()
    {
        var table = OrderLifecycle.Table(OrderLifecycle.DefaultDeadlines().With("awaitingapproval", TimeSpan.FromHours(8)));
        var toApproval = table.Require(OrderStatus.Placed, OrderLifecycle.Triggers.RequireApproval);
        Assert.Equal(new Deadline(OrderStatus.AwaitingApproval, TimeSpan.FromHours(8)), toApproval.Deadline);
        Assert.Equal(Now.AddHours(8), table.DueAt(OrderStatus.AwaitingApproval, Now));
        Assert.True(toApproval.Deadline!.HasPassed(Now, Now.AddHours(8)));
        Assert.Null(table.Require(OrderStatus.Archived, OrderLifecycle.Triggers.Close).Deadline);
        Assert.Equal(TimeSpan.FromMinutes(15), OrderLifecycle.Default.DeadlineIn(OrderStatus.Fulfilling)?.Within);
    }

    [Fact]
    public void A_deadline_policy_that_does_not_fit_the_lifecycle_is_refused_by_state()
    {
        var policy = new DeadlinePolicy { Within = { ["Shipping"] = TimeSpan.FromDays(1), [OrderStatus.Closed] = TimeSpan.FromDays(1), [OrderStatus.Auditing] = TimeSpan.Zero } };
        var ex = Assert.Throws<DomainRuleViolation>(() => OrderLifecycle.Table(policy));
        Assert.Equal(["deadlines.Auditing", "deadlines.Closed", "deadlines.Shipping"], ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Partial_shipments_never_exceed_what_was_ordered()
    {
        var order = Fulfilling(new OrderItem("AXLE", null, 5, 100m, 0m), new OrderItem("BOX", null, 2, 300m, 0m));
        order.Ship(Guid.NewGuid(), [new ShipmentLine(0, 3)], Now);
        var second = order.Ship(Guid.NewGuid(), [new ShipmentLine(0, 2), new ShipmentLine(1, 1)], Now.AddDays(1), "SF-889");
        Assert.Equal((5, 1, false), (order.ShippedQuantity(0), order.ShippedQuantity(1), order.IsFullyShipped));

        var ex = Assert.Throws<DomainRuleViolation>(() => order.Ship(Guid.NewGuid(), [new ShipmentLine(0, 1), new ShipmentLine(1, 2), new ShipmentLine(7, 1)], Now));
        Assert.Equal(["lines[0].quantity", "lines[1].quantity", "lines[2].lineIndex"], ex.Errors.Keys.Order(StringComparer.Ordinal));

        Assert.Same(second, order.Ship(second.Id, [new ShipmentLine(1, 1)], Now));
        order.Ship(Guid.NewGuid(), [new ShipmentLine(1, 1)], Now.AddDays(2));
        Assert.True(order.IsFullyShipped);
        order.ConfirmDelivery(second.Id, "王师傅", Now.AddDays(2));
        Assert.Equal("王师傅", second.ReceivedBy);
    }

    [Fact]
    public void An_order_waiting_for_approval_does_not_ship()
    {
        var order = Place(new OrderItem("TRUCK-BOX", null, 2, 10_000m, 0m));
        order.SubmitForApproval(Policy, Saga);
        Assert.Contains("status", Assert.Throws<DomainRuleViolation>(() => order.Ship(Guid.NewGuid(), [new ShipmentLine(0, 1)], Now)).Errors.Keys);
    }

    [Fact]
    public void Shipped_quantity_per_line_never_exceeds_the_ordered_quantity()
    {
        Property.ForAll(seed: 11, cases: 300, random =>
        {
            var items = Enumerable.Range(0, random.Next(1, 4)).Select(i => new OrderItem($"P{i}", null, random.Next(1, 8), 10m, 0m)).ToArray();
            var order = Fulfilling(items);
            for (var s = 0; s < 12; s++)
            {
                var lines = Enumerable.Range(0, items.Length).Where(_ => random.Next(2) == 0).Select(i => new ShipmentLine(i, random.Next(1, 5))).ToArray();
                try { order.Ship(Guid.NewGuid(), lines, Now); }
                catch (DomainRuleViolation) { }
                for (var i = 0; i < items.Length; i++)
                    Assert.InRange(order.ShippedQuantity(i), 0, items[i].Quantity);
            }
        });
    }

    [Fact]
    public void Payment_plan_must_add_up_to_the_order_total_and_reminds_ahead_of_each_due_date()
    {
        var order = Fulfilling(new OrderItem("TRUCK", null, 1, 9_000m, 0m));
        var bad = Assert.Throws<DomainRuleViolation>(() => order.PlanPayments([new Instalment(1, new DateOnly(2026, 12, 31), 5_000m), new Instalment(3, new DateOnly(2026, 12, 1), 0m)]));
        Assert.Equal(["instalments", "instalments[1].amount", "instalments[1].dueOn", "instalments[1].sequence"], bad.Errors.Keys.Order(StringComparer.Ordinal));

        order.PlanPayments(
        [
            new Instalment(1, new DateOnly(2026, 12, 10), 3_000m),
            new Instalment(2, new DateOnly(2027, 1, 10), 3_000m),
            new Instalment(3, new DateOnly(2027, 2, 10), 3_000m),
        ]);
        Assert.Equal(new DateOnly(2026, 12, 7), order.Instalments[0].RemindOn(3));
        Assert.Empty(order.PaymentRemindersDue(new DateOnly(2026, 12, 6), 3));
        Assert.Equal([1], order.PaymentRemindersDue(new DateOnly(2026, 12, 7), 3).Select(r => r.Instalment.Sequence));

        order.IssueInvoice(Guid.NewGuid(), "INV-1", 9_000m, Now);
        order.RecordReceipt(Guid.NewGuid(), 3_500m, new DateOnly(2026, 12, 9));
        var reminders = order.PaymentRemindersDue(new DateOnly(2027, 1, 12), 3);
        Assert.Equal([(2, 2_500m, true)], reminders.Select(r => (r.Instalment.Sequence, r.Outstanding, r.Overdue)));
    }

    [Fact]
    public void Invoices_never_exceed_the_order_total_and_receipts_never_exceed_invoices_unless_flagged()
    {
        var order = Fulfilling(new OrderItem("TRUCK", null, 1, 1_000m, 0m));
        Assert.Contains("amount", Assert.Throws<DomainRuleViolation>(() => order.RecordReceipt(Guid.NewGuid(), 10m, new DateOnly(2026, 12, 1))).Errors.Keys);
        var invoice = order.IssueInvoice(Guid.NewGuid(), "INV-1", 600m, Now);
        Assert.Same(invoice, order.IssueInvoice(invoice.Id, "INV-1", 600m, Now));
        Assert.Contains("amount", Assert.Throws<DomainRuleViolation>(() => order.IssueInvoice(Guid.NewGuid(), "INV-2", 400.01m, Now)).Errors.Keys);
        Assert.Contains("invoiceNumber", Assert.Throws<DomainRuleViolation>(() => order.IssueInvoice(Guid.NewGuid(), "inv-1", 1m, Now)).Errors.Keys);

        order.RecordReceipt(Guid.NewGuid(), 600m, new DateOnly(2026, 12, 1));
        Assert.Throws<DomainRuleViolation>(() => order.RecordReceipt(Guid.NewGuid(), 0.01m, new DateOnly(2026, 12, 2)));
        order.RecordReceipt(Guid.NewGuid(), 50m, new DateOnly(2026, 12, 2), "bank 7781", overpayment: true);
        Assert.Equal((600m, 650m), (order.InvoicedAmount, order.ReceivedAmount));
    }

    [Fact]
    public void Receipts_stay_within_invoices_except_for_flagged_overpayments()
    {
        Property.ForAll(seed: 12, cases: 300, random =>
        {
            var order = Fulfilling(new OrderItem("TRUCK", null, random.Next(1, 5), random.Cents(2_000m) + 1m, 0m));
            for (var i = 0; i < 20; i++)
            {
                try
                {
                    if (random.Next(3) == 0)
                        order.IssueInvoice(Guid.NewGuid(), $"INV-{i}", random.Cents(1_000m), Now);
                    else
                        order.RecordReceipt(Guid.NewGuid(), random.Cents(800m), new DateOnly(2026, 12, 1), overpayment: random.Next(10) == 0);
                }
                catch (DomainRuleViolation) { }
                Assert.True(order.InvoicedAmount <= order.TotalAmount);
                Assert.True(order.ReceivedAmount - order.Receipts.Where(r => r.Overpayment).Sum(r => r.Amount) <= order.InvoicedAmount);
            }
        });
    }

    [Fact]
    public void Payments_cover_the_earliest_instalment_first()
    {
        Property.ForAll(seed: 13, cases: 300, random =>
        {
            var instalments = Enumerable.Range(1, random.Next(1, 6))
                .Select(i => new Instalment(i, new DateOnly(2027, 1, 1).AddMonths(i), random.Cents(1_000m) + 0.01m)).ToArray();
            var received = random.Cents(instalments.Sum(x => x.Amount) + 100m);
            var standings = PaymentPlan.Allocate(instalments, received);

            Assert.Equal(Math.Min(received, instalments.Sum(x => x.Amount)), standings.Sum(s => s.Paid));
            Assert.All(standings, s => Assert.Equal(s.Instalment.Amount, s.Paid + s.Outstanding));
            var firstOpen = standings.ToList().FindIndex(s => s.Outstanding > 0);
            if (firstOpen >= 0)
                Assert.All(standings.Skip(firstOpen + 1), s => Assert.Equal(0m, s.Paid));
        });
    }

    [Fact]
    public void Merging_customers_moves_the_order_to_the_survivor()
    {
        var order = Place();
        order.MoveToCustomer("C0001");
        Assert.Equal("C0001", order.CustomerCode);
    }
}
