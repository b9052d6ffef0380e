using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Orders;

/// <summary>
/// One message's work on an order: the <see cref="Order"/> (tracked by the message's scoped <see cref="HubDbContext"/>, so it
/// is saved with the saga), the saga's branches, and the commands and events the step sends. Steps the saga takes on its
/// own after the message's first one carry no message id: the entry before names the message.
/// </summary>
internal sealed class OrderStep
{
    private static readonly Uri Erp = HubQueues.Address(HubQueues.ErpGateway);
    private static readonly Uri Billing = HubQueues.Address(HubQueues.BillingGateway);

    private readonly BehaviorContext<OrderState> _context;
    private readonly OrderStateMachine _machine;
    private readonly int _historyBefore;
    private readonly List<(Uri Address, object Message)> _sends = [];
    private readonly List<object> _events = [];
    private object? _refusal;
    private bool _answerDetails;

    private OrderStep(BehaviorContext<OrderState> context, OrderStateMachine machine, Order order)
    {
        _context = context;
        _machine = machine;
        Order = order;
        _historyBefore = order.History.Count;
        Now = DateTimeOffset.UtcNow;
    }

    public Order Order { get; }

    private OrderState Saga => _context.Saga;

    private DateTimeOffset Now { get; }

    /// <summary>What the step means for the saga's deadline and state, read by the binding after the step.</summary>
    public sealed class StepOutcome
    {
        public bool Moved { get; set; }
        public bool Reschedule { get; set; }
        public DateTimeOffset? DueAt { get; set; }
    }

    public static StepOutcome Outcome(PipeContext context) => context.GetOrAddPayload(() => new StepOutcome());

    public static async Task<OrderStep> Load(BehaviorContext<OrderState> context, OrderStateMachine machine)
    {
        var db = context.GetServiceOrCreateInstance<HubDbContext>();
        var order = await OrderStore.Find(db, context.Saga.CorrelationId, context.CancellationToken)
            // The order and its OrderPlaced commit together: missing, it is not visible yet; the retry finds it.
            ?? throw new InvalidOperationException($"Order {context.Saga.CorrelationId} is not in the store.");
        return new OrderStep(context, machine, order);
    }

    private StateChangeCause Cause(Guid? messageId = null) => new(OrderStateMachine.Actor, Now, messageId);

    /// <summary>The order was placed: approval, or fulfilment at once.</summary>
    public void Submit(OrderApprovalPolicy policy)
    {
        Saga.OrderNumber = Order.Number;
        Saga.CustomerCode = Order.CustomerCode;
        Saga.OwnerUserId = Order.OwnerUserId;
        Saga.TotalAmount = Order.TotalAmount;
        Saga.ContactEmail = Order.ContactEmail;
        Saga.PlacedAt = Order.PlacedAt;
        Saga.ErpStatus = BranchStatus.NotAsked;
        if (Order.Status != OrderStatus.Placed)
            return;
        Order.SubmitForApproval(policy, Cause(_context.MessageId));
        if (Order.Status == OrderStatus.AwaitingApproval)
            _events.Add(new OrderApprovalRequired(Order.Id, Order.Number, Order.CustomerCode, Order.OwnerUserId, Order.TotalAmount, Now));
        else
            StartFulfilment();
    }

    /// <summary>
    /// A command from a person: taken once per command id; refused, with the broken rules or a version conflict, to a caller
    /// that asked; answered with the order as it stands after the step.
    /// </summary>
    public void Command(Guid commandId, long? expectedVersion, Action act)
    {
        var applied = Order.History.Any(h => h.MessageId == commandId);
        if (!applied && expectedVersion is { } expected && expected != Order.History.Count)
        {
            _refusal = new OrderCommandRejected(Order.Id, new Dictionary<string, string[]>
            {
                ["version"] = [$"the order is at version {Order.History.Count}, not {expected}"],
            }, true, Order.History.Count);
            return;
        }
        try
        {
            if (!applied)
                act();
            _answerDetails = true;
        }
        catch (DomainRuleViolation violation)
        {
            _refusal = new OrderCommandRejected(Order.Id, violation.Errors, false, Order.History.Count);
        }
    }

    /// <summary>Once approved, the order is split into work orders, each billed and provisioned in parallel (000 §3.4).</summary>
    public void StartFulfilment()
    {
        if (Order.Status != OrderStatus.Approved)
            return;
        Order.Decompose(Cause());
        foreach (var workOrder in Order.WorkOrders)
        {
            if (Saga.Branches.Any(b => b.WorkOrderId == workOrder.Id))
                continue;
            var amount = Order.Items[workOrder.LineIndex].Amount;
            Saga.Branches.Add(new WorkOrderBranch { WorkOrderId = workOrder.Id, Number = workOrder.Number, Amount = amount });
            _sends.Add((Billing, new CreateBillingCharge(Order.Id, Order.Number, Order.CustomerCode, amount, _machine.Lifecycle.Currency, workOrder.Id)));
            _sends.Add((Erp, new ProvisionErpResources(workOrder.Id, Order.Id, Order.Number, workOrder.ProductCode, workOrder.Quantity)));
        }
    }

    /// <summary>The customer cancels: at once before fulfilment, after undoing everything once work orders are under way.</summary>
    public void Cancel(CancelOrder m)
    {
        Order.Cancel(m.Reason, new StateChangeCause(m.RequestedBy, m.RequestedAt, m.CommandId));
        if (Order.Status == OrderStatus.Compensating)
            Compensate();
    }

    public void Charged(Guid? workOrderId, string chargeId, decimal? amount)
    {
        if (Branch(workOrderId) is not { } branch || branch.ChargeId is not null)
            return; // not a work order of this order, or a duplicate
        branch.ChargeId = chargeId;
        branch.ChargedAmount = amount ?? branch.Amount;
        // Given up as refused or unreachable, billing charged after all (a lost answer): it holds the charge now.
        if (branch.Billing is BranchStatus.Pending or BranchStatus.Rejected)
            branch.Billing = BranchStatus.Done;
        RecordOnWorkOrder(() => Order.RecordBilled(branch.WorkOrderId, chargeId, Cause(_context.MessageId)));
        if (IsUndoing)
            Undo(branch, resend: false); // a charge that lands after compensation began is reversed as it lands
        else
            AuditIfJoined();
    }

    public void Provisioned(Guid workOrderId, string provisioningId)
    {
        if (Branch(workOrderId) is not { } branch || branch.ProvisioningId is not null)
            return;
        branch.ProvisioningId = provisioningId;
        if (branch.Provisioning is BranchStatus.Pending or BranchStatus.Rejected)
            branch.Provisioning = BranchStatus.Done;
        RecordOnWorkOrder(() => Order.RecordProvisioned(branch.WorkOrderId, provisioningId, Cause(_context.MessageId)));
        if (IsUndoing)
            Undo(branch, resend: false);
        else
            AuditIfJoined();
    }

    public void BillingFailed(Guid? workOrderId, string reason, bool partnerFault)
    {
        if (Branch(workOrderId) is not { Billing: BranchStatus.Pending } branch || WaitsForOperations(partnerFault))
            return;
        branch.Billing = BranchStatus.Rejected;
        WorkOrderFailed(branch, reason);
    }

    public void ProvisioningFailed(Guid workOrderId, string reason, bool partnerFault)
    {
        if (Branch(workOrderId) is not { Provisioning: BranchStatus.Pending } branch || WaitsForOperations(partnerFault))
            return;
        branch.Provisioning = BranchStatus.Rejected;
        WorkOrderFailed(branch, reason);
    }

    public void ChargeReversed(Guid? workOrderId)
    {
        if (Branch(workOrderId) is not { Billing: BranchStatus.Undoing } branch)
            return;
        branch.Billing = BranchStatus.Undone;
        FinishCompensationIfSettled();
    }

    public void ResourcesReleased(Guid workOrderId)
    {
        if (Branch(workOrderId) is not { Provisioning: BranchStatus.Undoing } branch)
            return;
        branch.Provisioning = BranchStatus.Undone;
        FinishCompensationIfSettled();
    }

    /// <summary>ERP holds the sales order (完工 reported): the order completes, is archived and closed, its products in service.</summary>
    public void CompletionReported(string salesOrderNumber)
    {
        if (Saga.ErpStatus != BranchStatus.Pending)
            return;
        Saga.ErpStatus = BranchStatus.Done;
        Saga.ErpSalesOrderNumber = salesOrderNumber;
        if (IsUndoing)
        {
            Saga.ErpStatus = BranchStatus.Undoing;
            _sends.Add((Erp, new CancelErpSalesOrder(Order.Id, Order.EndReason ?? "compensation")));
            return;
        }
        if (Order.Status != OrderStatus.Audited)
            return;
        Order.Complete(Cause(_context.MessageId));
        Saga.BillingChargeId = string.Join(",", Saga.Branches.Select(b => b.ChargeId));
        _events.Add(new OrderCompleted(Order.Id, Order.Number, Order.CustomerCode, Order.OwnerUserId, salesOrderNumber, Saga.BillingChargeId,
            Order.TotalAmount, Order.ContactEmail, Now));
        Order.Archive(Cause());
        Order.Close(Cause());
        _events.Add(new OrderClosed(Order.Id, Order.Number, Order.CustomerCode, Order.OwnerUserId,
            Order.ProductInstances.Select(OrderMapping.ToSummary).ToArray(), Now));
    }

    /// <summary>
    /// ERP refused the completion report (<paramref name="byErp"/>: its business answer) or could not be reached after every retry.
    /// Refused, an audited order moves to <see cref="OrderStatus.CompletionRefused"/> with the ERP's reason and its owner is told
    /// once (<see cref="OrderCompletionRefused"/>); unreachable, it waits in Audited for its deadline's alarm and operations.
    /// </summary>
    public void CompletionRefused(string reason, bool byErp)
    {
        if (Saga.ErpStatus != BranchStatus.Pending)
            return;
        Saga.ErpStatus = BranchStatus.Rejected;
        Saga.FailureReason = reason;
        if (byErp && Order.Status == OrderStatus.Audited)
        {
            Order.RefuseCompletion(reason, Cause(_context.MessageId));
            _events.Add(new OrderCompletionRefused(Order.Id, Order.Number, Order.CustomerCode, Order.OwnerUserId, reason, Now));
        }
        FinishCompensationIfSettled();
    }

    /// <summary>A manager resends the refused completion report: the order is Audited again and ERP is asked once more.</summary>
    public void ResendCompletion(ResendOrderCompletion m)
    {
        Order.ResendCompletion(new StateChangeCause(m.RequestedBy, m.RequestedAt, m.CommandId));
        Saga.FailureReason = null;
        ReportCompletion();
    }

    public void SalesOrderCancelled()
    {
        if (Saga.ErpStatus != BranchStatus.Undoing)
            return;
        Saga.ErpStatus = BranchStatus.Undone;
        FinishCompensationIfSettled();
    }

    /// <summary>
    /// The deadline of the state the order is still in passed: an alarm, and the table's DeadlinePassed step where it has one.
    /// Otherwise the alarm repeats after another deadline (the notifications escalate a repeat); compensating, the undo
    /// commands still unanswered are sent again.
    /// </summary>
    public void DeadlinePassed(OrderDeadlineExpired m)
    {
        var table = _machine.Table;
        if ((m.Sequence ?? 0) != Saga.Sequence || table.IsFinal(Order.Status) || table.DeadlineIn(Order.Status) is not { } deadline)
            return;
        Saga.AlarmsRaised++;
        // Each repeat names its own due time, so the notifications tell a repeat (and escalate it) from a redelivery.
        _events.Add(new OrderDeadlineExceeded(Order.Id, Order.Number, Order.OwnerUserId, Order.Status, m.DueAt ?? deadline.DueAt(Order.StatusChangedAt)));
        if (table.Allows(Order.Status, OrderLifecycle.Triggers.DeadlinePassed))
        {
            Order.MissDeadline(Cause(_context.MessageId));
            Saga.FailureReason ??= Order.EndReason;
            Compensate();
            return;
        }
        if (Order.Status == OrderStatus.Compensating)
            SendUndo(resend: true);
        var outcome = Outcome(_context);
        outcome.Reschedule = true;
        outcome.DueAt = Now + deadline.Within;
    }

    /// <summary>Publishes what the step did, one status change per history entry, and answers a command.</summary>
    public async Task Finish()
    {
        var taken = Order.History.Skip(_historyBefore).ToArray();
        foreach (var change in taken)
            await _context.Publish(new OrderStatusChanged(Order.Id, Order.Number, Order.OwnerUserId, change.To, change.Reason, change.At));
        if (taken.Any(c => c.To == OrderStatus.Failed))
            await _context.Publish(new OrderFailed(Order.Id, Order.Number, Order.OwnerUserId, Order.EndReason ?? "unknown", Now));
        foreach (var message in _events)
            await _context.Publish(message);
        foreach (var (address, message) in _sends)
        {
            var endpoint = await _context.GetSendEndpoint(address);
            await endpoint.Send(message, _context.CancellationToken);
        }
        if (taken.Length > 0)
        {
            Saga.Status = Order.Status;
            Saga.Sequence = Order.History.Count;
            var outcome = Outcome(_context);
            outcome.Moved = outcome.Reschedule = true;
            outcome.DueAt = _machine.Table.DueAt(Order.Status, Order.StatusChangedAt);
        }
        Saga.UpdatedAt = Now;
        if (_answerDetails)
            await _context.RespondAsync(OrderMapping.ToDetails(Order, Saga));
        else if (_refusal is not null)
            await _context.RespondAsync(_refusal);
    }

    private bool IsUndoing => Order.Status == OrderStatus.Compensating || OrderLifecycle.Default.IsFinal(Order.Status);

    // With CompensateOnPartnerFault off, a fulfilling order leaves a failed partner command to operations and its deadline.
    private bool WaitsForOperations(bool partnerFault) =>
        partnerFault && !_machine.Lifecycle.CompensateOnPartnerFault && Order.Status == OrderStatus.Fulfilling;

    private WorkOrderBranch? Branch(Guid? workOrderId) => Saga.Branches.FirstOrDefault(b => b.WorkOrderId == workOrderId);

    private void WorkOrderFailed(WorkOrderBranch branch, string reason)
    {
        if (Order.Status == OrderStatus.Fulfilling)
        {
            Order.RecordWorkOrderFailed(branch.WorkOrderId, reason, Cause(_context.MessageId));
            Saga.FailureReason ??= reason;
            Compensate();
        }
        else
        {
            RecordOnWorkOrder(() => Order.RecordWorkOrderFailed(branch.WorkOrderId, reason, Cause(_context.MessageId)));
            FinishCompensationIfSettled();
        }
    }

    // A late or conflicting confirmation never stops the saga: the branch status already records what the partner holds.
    private void RecordOnWorkOrder(Action record)
    {
        try
        {
            record();
        }
        catch (DomainRuleViolation violation)
        {
            // Kept on record for whoever reads the log: the work order stays as it was.
            LogContext.Warning?.Log("Order {OrderNumber}: a late confirmation was not applied to its work order: {Reason}",
                Order.Number, violation.Message);
        }
    }

    /// <summary>
    /// The join: every work order succeeded, so the order is audited (稽核) by the automatic checks: at once, or, with the manual audit
    /// step, the order waits for a staff member once the checks pass.
    /// </summary>
    private void AuditIfJoined()
    {
        if (Order.Status != OrderStatus.Auditing)
            return;
        var problems = new List<string>();
        foreach (var workOrder in Order.WorkOrders)
        {
            var branch = Branch(workOrder.Id);
            if (branch is not { Billing: BranchStatus.Done, ChargeId: not null })
                problems.Add($"work order {workOrder.Number} has no charge");
            if (branch is not { Provisioning: BranchStatus.Done, ProvisioningId: not null })
                problems.Add($"work order {workOrder.Number} has no provisioned resources");
        }
        var charged = Saga.Branches.Sum(b => b.ChargedAmount ?? 0m);
        if (charged != Order.TotalAmount)
            problems.Add($"charged {charged} but the order totals {Order.TotalAmount}");
        // Manual audit: an order the checks pass waits for a staff member (AuditByStaff); one they fail compensates at once.
        if (problems.Count == 0 && _machine.ManualAudit)
            return;
        Order.RecordAudit(problems.Count == 0
            ? OrderAudit.Pass(OrderStateMachine.Auditor, Now)
            : OrderAudit.Fail(string.Join("; ", problems), OrderStateMachine.Auditor, Now));
        FollowAudit();
    }

    /// <summary>A staff member passes or refuses the audit of an order waiting for it (the manual audit step).</summary>
    public void AuditByStaff(AuditOrder m)
    {
        Order.RecordAudit(m.Passed ? OrderAudit.Pass(m.AuditorUserId, m.RequestedAt) : OrderAudit.Fail(m.Reason ?? "", m.AuditorUserId, m.RequestedAt),
            m.CommandId);
        FollowAudit();
    }

    /// <summary>Passed, the completion goes to ERP; failed, the order compensates with the audit's reason.</summary>
    private void FollowAudit()
    {
        if (Order.Status == OrderStatus.Audited)
            ReportCompletion();
        else if (Order.Status == OrderStatus.Compensating)
        {
            Saga.FailureReason ??= Order.EndReason;
            Compensate();
        }
    }

    /// <summary>The order takes the agreed payment plan (the domain checks it adds up) and announces it for the payment reminders.</summary>
    public void PlanPayments(PlanOrderPayments m)
    {
        Order.PlanPayments((m.Instalments ?? []).Select(i => new Instalment(i.Sequence, i.DueOn, i.Amount)).ToArray());
        OrderStore.Touch(_context.GetServiceOrCreateInstance<HubDbContext>(), Order);
        _events.Add(new PaymentPlanAgreed(Order.Id, Order.Number, Order.CustomerCode, _machine.Lifecycle.Currency,
            Order.Instalments.Select(i => new PaymentInstalment(i.Sequence, i.DueOn, i.Amount)).ToArray(), m.RequestedAt));
    }

    /// <summary>完工: the completion goes to ERP as its sales order; its answer completes the order.</summary>
    private void ReportCompletion()
    {
        Saga.ErpStatus = BranchStatus.Pending;
        _sends.Add((Erp, new CreateErpSalesOrder(Order.Id, Order.Number, Order.CustomerCode, Order.Items.Select(OrderMapping.ToLine).ToArray(),
            Order.TotalAmount)));
    }

    /// <summary>Undoes every effect a partner holds; the order ends once every branch is settled.</summary>
    private void Compensate()
    {
        SendUndo(resend: false);
        FinishCompensationIfSettled();
    }

    private void SendUndo(bool resend)
    {
        foreach (var branch in Saga.Branches)
            Undo(branch, resend);
        if (Saga.ErpStatus == BranchStatus.Done || (resend && Saga.ErpStatus == BranchStatus.Undoing))
        {
            Saga.ErpStatus = BranchStatus.Undoing;
            _sends.Add((Erp, new CancelErpSalesOrder(Order.Id, Reason)));
        }
    }

    private string Reason => Order.EndReason ?? Saga.FailureReason ?? "compensation";

    /// <summary>Reverses the work order's charge and releases its resources where the partner holds them (again, on <paramref name="resend"/>).</summary>
    private void Undo(WorkOrderBranch branch, bool resend)
    {
        if ((branch.Billing == BranchStatus.Done || (resend && branch.Billing == BranchStatus.Undoing)) && branch.ChargeId is not null)
        {
            branch.Billing = BranchStatus.Undoing;
            _sends.Add((Billing, new ReverseBillingCharge(Order.Id, Reason, branch.WorkOrderId, branch.ChargeId)));
        }
        if ((branch.Provisioning == BranchStatus.Done || (resend && branch.Provisioning == BranchStatus.Undoing)) && branch.ProvisioningId is not null)
        {
            branch.Provisioning = BranchStatus.Undoing;
            _sends.Add((Erp, new ReleaseErpResources(branch.WorkOrderId, Order.Id, Order.Number, branch.ProvisioningId, Reason)));
        }
    }

    private void FinishCompensationIfSettled()
    {
        if (Order.Status == OrderStatus.Compensating && Saga.Branches.All(b => b.IsSettled) && BranchStatus.IsSettled(Saga.ErpStatus))
            Order.FinishCompensation(Cause());
    }
}

/// <summary>Loading the order aggregate with everything that belongs to it.</summary>
internal static class OrderStore
{
    public static IQueryable<Order> Orders(HubDbContext db) =>
        db.Set<Order>().Include(o => o.WorkOrders).Include(o => o.ProductInstances).Include(o => o.Shipments).AsSplitQuery();

    public static Task<Order?> Find(HubDbContext db, Guid orderId, CancellationToken ct) =>
        Orders(db).FirstOrDefaultAsync(o => o.Id == orderId, ct);

    /// <summary>
    /// Marks a commercial change (shipment, invoice, receipt, plan) on the order's <see cref="CommerceVersion"/>: two such changes
    /// of one order committing at once meet the store's optimistic concurrency, and the later is retried against the first,
    /// so no rule (nothing shipped twice, receipts within invoices) is checked against a stale order.
    /// </summary>
    public static void Touch(HubDbContext db, Order order) => db.Entry(order).Property<int>(CommerceVersion).CurrentValue++;

    /// <summary>Shadow concurrency token of <c>crm_order</c>, counted up by every commercial change.</summary>
    public const string CommerceVersion = "CommerceVersion";

    public static Task<Order?> Find(HubDbContext db, string orderNumber, CancellationToken ct) =>
        Orders(db).FirstOrDefaultAsync(o => o.Number == orderNumber, ct);
}
