namespace Crm.Domain.Orders;

// The order's steps from approval to closing (000 §3.4, 003 §3.4.1). Each step checks the
// OrderLifecycle table, records a history entry, and does nothing again for a redelivered message.
public sealed partial class Order
{
    /// <summary>
    /// Sends the order for approval: above the policy's threshold it waits for a manager
    /// (<see cref="OrderStatus.AwaitingApproval"/>), otherwise it is approved at once.
    /// </summary>
    public void SubmitForApproval(OrderApprovalPolicy policy, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        policy.Validate();
        if (policy.RequiresApproval(TotalAmount))
        {
            Fire(OrderLifecycle.Triggers.RequireApproval, cause);
            Approval = ApprovalState.Awaiting;
        }
        else
        {
            Fire(OrderLifecycle.Triggers.ApproveAutomatically, cause);
            Approval = ApprovalState.NotRequired;
        }
    }

    /// <summary>A manager (<see cref="StateChangeCause.Actor"/>) approves; the owning salesperson may not approve their own order.</summary>
    public void Approve(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        RequireNotOwner(cause);
        Fire(OrderLifecycle.Triggers.Approve, cause);
        Decide(ApprovalState.Approved, cause);
    }

    /// <summary>A manager (<see cref="StateChangeCause.Actor"/>) refuses, saying why. Final.</summary>
    public void Reject(string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        RequireReason(reason);
        RequireNotOwner(cause);
        Fire(OrderLifecycle.Triggers.Reject, cause, reason);
        Decide(ApprovalState.Rejected, cause);
        End(reason);
    }

    /// <summary>
    /// Splits the approved order into one <see cref="WorkOrder"/> per main product line and starts
    /// fulfilment: each work order is billed and provisioned on its own.
    /// </summary>
    public IReadOnlyList<WorkOrder> Decompose(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return WorkOrders;
        Fire(OrderLifecycle.Triggers.Decompose, cause);
        for (var i = 0; i < Items.Count; i++)
            _workOrders.Add(WorkOrder.For(this, i));
        return WorkOrders;
    }

    /// <summary>
    /// Billing confirmed a work order's charge. When that was the last outstanding branch, the
    /// order moves on to <see cref="OrderStatus.Auditing"/>. A confirmation that arrives after
    /// compensation started is recorded so that it can be undone.
    /// </summary>
    public void RecordBilled(Guid workOrderId, string chargeReference, StateChangeCause cause)
    {
        StateTable.RequireCause(cause);
        WorkOrderOf(workOrderId).RecordBilled(chargeReference, cause.At);
        JoinIfAllSucceeded(cause);
    }

    /// <summary>Provisioning confirmed a work order's resources; the join as for <see cref="RecordBilled"/>.</summary>
    public void RecordProvisioned(Guid workOrderId, string resourceReference, StateChangeCause cause)
    {
        StateTable.RequireCause(cause);
        WorkOrderOf(workOrderId).RecordProvisioned(resourceReference, cause.At);
        JoinIfAllSucceeded(cause);
    }

    /// <summary>Billing or provisioning of a work order failed: a fulfilling order starts compensating.</summary>
    public void RecordWorkOrderFailed(Guid workOrderId, string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        RequireReason(reason);
        WorkOrderOf(workOrderId).RecordFailure(reason);
        if (Status == OrderStatus.Fulfilling)
        {
            Fire(OrderLifecycle.Triggers.WorkOrderFailed, cause, reason);
            EndReason = reason.Trim();
        }
    }

    /// <summary>The deadline of the current state passed; where the table says so, the order starts compensating.</summary>
    public void MissDeadline(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        var reason = $"the {Status} deadline passed";
        Fire(OrderLifecycle.Triggers.DeadlinePassed, cause, reason);
        EndReason = reason;
    }

    /// <summary>Records the audit (稽核): passed, the order is <see cref="OrderStatus.Audited"/>; failed, it compensates.</summary>
    public void RecordAudit(OrderAudit audit, Guid? messageId = null)
    {
        new RuleCheck()
            .Require(audit is not null, "audit", "is required")
            .Require(audit is null || audit.Passed || !string.IsNullOrWhiteSpace(audit.Reason), "audit.reason", "a failed audit needs a reason")
            .OptionalText(audit?.Reason, "audit.reason", 500)
            .ThrowIfBroken();
        var cause = new StateChangeCause(audit!.AuditorId, audit.At, messageId);
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        Fire(audit.Passed ? OrderLifecycle.Triggers.PassAudit : OrderLifecycle.Triggers.FailAudit, cause, audit.Reason);
        Audit = audit with { AuditorId = audit.AuditorId.Trim(), Reason = audit.Reason?.Trim() };
        if (!audit.Passed)
            EndReason = "audit failed: " + audit.Reason!.Trim();
    }

    /// <summary>Completion (完工): reported to the other systems.</summary>
    public void Complete(StateChangeCause cause) => Step(OrderLifecycle.Triggers.Complete, cause);

    /// <summary>
    /// ERP refused the completion report (完工) for a business reason: the order stops in <see cref="OrderStatus.CompletionRefused"/>
    /// with the ERP's reason until someone resends the completion or the customer cancels.
    /// </summary>
    public void RefuseCompletion(string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        RequireReason(reason);
        Fire(OrderLifecycle.Triggers.RefuseCompletion, cause, reason.Trim());
    }

    /// <summary>A person (<see cref="StateChangeCause.Actor"/>) resends the refused completion report: the order is Audited again and waits for ERP's answer.</summary>
    public void ResendCompletion(StateChangeCause cause) => Step(OrderLifecycle.Triggers.ResendCompletion, cause);

    /// <summary>Why ERP refused the completion report, while the order waits in <see cref="OrderStatus.CompletionRefused"/>.</summary>
    public string? CompletionRefusal => Status == OrderStatus.CompletionRefused ? _history[^1].Reason : null;

    /// <summary>The order and what belongs to it are archived (存档).</summary>
    public void Archive(StateChangeCause cause) => Step(OrderLifecycle.Triggers.Archive, cause);

    /// <summary>Closes the order and brings its product instances into service (开通).</summary>
    public void Close(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        Fire(OrderLifecycle.Triggers.Close, cause);
        foreach (var instance in _productInstances)
            instance.Activate(cause.At);
    }

    /// <summary>
    /// The customer cancels. Before fulfilment the order ends at once; once work orders are under
    /// way it compensates first and ends <see cref="OrderStatus.Cancelled"/> when that is done.
    /// </summary>
    public void Cancel(string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        RequireReason(reason);
        Fire(OrderLifecycle.Triggers.Cancel, cause, reason);
        EndReason = "cancelled by the customer: " + reason.Trim();
        if (Status == OrderStatus.Compensating)
            CancellationRequested = true;
        else
            End(EndReason);
    }

    /// <summary>Everything that happened was undone: the order ends failed, or cancelled if the customer asked for it.</summary>
    public void FinishCompensation(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        Fire(CancellationRequested ? OrderLifecycle.Triggers.CompensatedAfterCancellation : OrderLifecycle.Triggers.Compensated, cause, EndReason);
        End(EndReason);
    }

    /// <summary>Moves the order to another customer: used when a duplicate customer is merged into its survivor.</summary>
    public void MoveToCustomer(string customerCode)
    {
        new RuleCheck().Require(!string.IsNullOrWhiteSpace(customerCode) && customerCode.Length <= 32, "customerCode", "is required, at most 32 characters")
            .ThrowIfBroken();
        CustomerCode = customerCode.Trim();
    }

    private void Step(string trigger, StateChangeCause cause)
    {
        if (!StateTable.AlreadyApplied(_history, cause))
            Fire(trigger, cause);
    }

    private void Fire(string trigger, StateChangeCause cause, string? reason = null)
    {
        var change = OrderLifecycle.Default.Step(Status, trigger, cause, reason);
        _history.Add(change);
        Status = change.To;
        StatusChangedAt = change.At;
    }

    private void JoinIfAllSucceeded(StateChangeCause cause)
    {
        if (Status == OrderStatus.Fulfilling && AllWorkOrdersSucceeded)
            Fire(OrderLifecycle.Triggers.AllWorkOrdersSucceeded, cause);
    }

    private WorkOrder WorkOrderOf(Guid workOrderId) =>
        _workOrders.FirstOrDefault(w => w.Id == workOrderId)
        ?? throw DomainRuleViolation.Of("workOrderId", $"order {Number} has no work order {workOrderId}");

    private void Decide(ApprovalState decision, StateChangeCause cause)
    {
        Approval = decision;
        ApproverId = cause.Actor.Trim();
        ApprovalDecidedAt = cause.At;
    }

    // Four eyes: whoever earns on the order does not approve it.
    private void RequireNotOwner(StateChangeCause cause) =>
        new RuleCheck().Require(!string.Equals(cause.Actor?.Trim(), OwnerUserId, StringComparison.OrdinalIgnoreCase), "approverId",
            "the salesperson who owns the order cannot decide on its approval").ThrowIfBroken();

    private static void RequireReason(string reason) => new RuleCheck().RequireText(reason, "reason", 500).ThrowIfBroken();

    private void End(string? reason)
    {
        EndReason = reason?.Trim();
        foreach (var instance in _productInstances)
            instance.Cancel();
    }
}
