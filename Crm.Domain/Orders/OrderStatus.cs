namespace Crm.Domain.Orders;

/// <summary>
/// The named states of an order's lifecycle, as the saga and every channel report them. The steps
/// between them are in <see cref="OrderLifecycle"/>.
/// </summary>
public static class OrderStatus
{
    /// <summary>Accepted and stored; fulfilment about to start.</summary>
    public const string Placed = "Placed";
    /// <summary>Above the approval threshold: waits for a manager (003 §3.4.1 审批).</summary>
    public const string AwaitingApproval = "AwaitingApproval";
    /// <summary>Approved by a manager, or below the threshold; about to be decomposed.</summary>
    public const string Approved = "Approved";
    /// <summary>A manager refused the order. Final.</summary>
    public const string Rejected = "Rejected";
    /// <summary>
    /// Work orders being billed and provisioned (the parallel branches of 000's Petri net). The
    /// first saga runs its ERP and billing branches in this state too.
    /// </summary>
    public const string Fulfilling = "Fulfilling";
    /// <summary>Every work order succeeded: the order waits for its audit (稽核).</summary>
    public const string Auditing = "Auditing";
    /// <summary>The audit passed; completion (完工) is about to be reported to the other systems.</summary>
    public const string Audited = "Audited";
    /// <summary>
    /// ERP refused the completion report (its business answer, not an outage): the order waits, with the ERP's reason, for a
    /// person to put it right in ERP and resend the completion, or for the customer to cancel. It has no deadline: the
    /// owner is told once.
    /// </summary>
    public const string CompletionRefused = "CompletionRefused";
    /// <summary>Completion reported (the first saga: both branches succeeded).</summary>
    public const string Completed = "Completed";
    /// <summary>The order and what belongs to it are archived (存档).</summary>
    public const string Archived = "Archived";
    /// <summary>Closed, its product instances active (开通). Final.</summary>
    public const string Closed = "Closed";
    /// <summary>A branch failed, the audit failed, a deadline passed or the customer cancelled; undoing what already happened.</summary>
    public const string Compensating = "Compensating";
    /// <summary>Ended without completing; everything that happened was undone. Final.</summary>
    public const string Failed = "Failed";
    /// <summary>Cancelled by the customer; anything that had happened was undone. Final.</summary>
    public const string Cancelled = "Cancelled";
}
