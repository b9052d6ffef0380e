namespace Crm.Domain.Orders;

/// <summary>
/// The order's process table (000 §3.4 table 1, 003 §3.4): which step is allowed in which state,
/// and how long the order may wait in each state. <see cref="Order"/> refuses any other step; the
/// saga reads the same table for its transitions and schedules.
/// </summary>
public static class OrderLifecycle
{
    /// <summary>Names of the steps, as history entries and the saga's events name them.</summary>
    public static class Triggers
    {
        /// <summary>The order was placed: the history entry that creates it, not a step of the table.</summary>
        public const string Place = "Place";
        /// <summary>The order is above the approval threshold.</summary>
        public const string RequireApproval = "RequireApproval";
        /// <summary>The order is at or below the approval threshold.</summary>
        public const string ApproveAutomatically = "ApproveAutomatically";
        /// <summary>A manager approves.</summary>
        public const string Approve = "Approve";
        /// <summary>A manager refuses.</summary>
        public const string Reject = "Reject";
        /// <summary>The order is split into one work order per main product line.</summary>
        public const string Decompose = "Decompose";
        /// <summary>The join: the last work order succeeded.</summary>
        public const string AllWorkOrdersSucceeded = "AllWorkOrdersSucceeded";
        /// <summary>A work order failed in billing or provisioning.</summary>
        public const string WorkOrderFailed = "WorkOrderFailed";
        /// <summary>The deadline of the current state passed.</summary>
        public const string DeadlinePassed = "DeadlinePassed";
        /// <summary>The audit passed.</summary>
        public const string PassAudit = "PassAudit";
        /// <summary>The audit failed.</summary>
        public const string FailAudit = "FailAudit";
        /// <summary>Completion is reported to the other systems.</summary>
        public const string Complete = "Complete";
        /// <summary>ERP refused the completion report with a business reason.</summary>
        public const string RefuseCompletion = "RefuseCompletion";
        /// <summary>A person sends the completion report to ERP again after the refusal was put right.</summary>
        public const string ResendCompletion = "ResendCompletion";
        /// <summary>The order is archived.</summary>
        public const string Archive = "Archive";
        /// <summary>The order is closed and its product instances activated.</summary>
        public const string Close = "Close";
        /// <summary>The customer cancels.</summary>
        public const string Cancel = "Cancel";
        /// <summary>Compensation finished after a failure.</summary>
        public const string Compensated = "Compensated";
        /// <summary>Compensation finished after the customer cancelled.</summary>
        public const string CompensatedAfterCancellation = "CompensatedAfterCancellation";
    }

    private static readonly string[] States =
    [
        OrderStatus.Placed, OrderStatus.AwaitingApproval, OrderStatus.Approved, OrderStatus.Rejected,
        OrderStatus.Fulfilling, OrderStatus.Auditing, OrderStatus.Audited, OrderStatus.CompletionRefused, OrderStatus.Completed,
        OrderStatus.Archived, OrderStatus.Closed, OrderStatus.Compensating, OrderStatus.Failed, OrderStatus.Cancelled,
    ];

    private static readonly string[] Final = [OrderStatus.Rejected, OrderStatus.Closed, OrderStatus.Failed, OrderStatus.Cancelled];

    private static readonly (string, string, string)[] Steps =
    [
        (OrderStatus.Placed, Triggers.RequireApproval, OrderStatus.AwaitingApproval),
        (OrderStatus.Placed, Triggers.ApproveAutomatically, OrderStatus.Approved),
        (OrderStatus.Placed, Triggers.Cancel, OrderStatus.Cancelled),
        (OrderStatus.AwaitingApproval, Triggers.Approve, OrderStatus.Approved),
        (OrderStatus.AwaitingApproval, Triggers.Reject, OrderStatus.Rejected),
        (OrderStatus.AwaitingApproval, Triggers.Cancel, OrderStatus.Cancelled),
        (OrderStatus.Approved, Triggers.Decompose, OrderStatus.Fulfilling),
        (OrderStatus.Approved, Triggers.Cancel, OrderStatus.Cancelled),
        (OrderStatus.Fulfilling, Triggers.AllWorkOrdersSucceeded, OrderStatus.Auditing),
        (OrderStatus.Fulfilling, Triggers.WorkOrderFailed, OrderStatus.Compensating),
        (OrderStatus.Fulfilling, Triggers.DeadlinePassed, OrderStatus.Compensating),
        (OrderStatus.Fulfilling, Triggers.Cancel, OrderStatus.Compensating),
        (OrderStatus.Auditing, Triggers.PassAudit, OrderStatus.Audited),
        (OrderStatus.Auditing, Triggers.FailAudit, OrderStatus.Compensating),
        (OrderStatus.Auditing, Triggers.DeadlinePassed, OrderStatus.Compensating),
        (OrderStatus.Auditing, Triggers.Cancel, OrderStatus.Compensating),
        (OrderStatus.Audited, Triggers.Complete, OrderStatus.Completed),
        (OrderStatus.Audited, Triggers.Cancel, OrderStatus.Compensating),
        (OrderStatus.Audited, Triggers.RefuseCompletion, OrderStatus.CompletionRefused),
        (OrderStatus.CompletionRefused, Triggers.ResendCompletion, OrderStatus.Audited),
        (OrderStatus.CompletionRefused, Triggers.Cancel, OrderStatus.Compensating),
        (OrderStatus.Completed, Triggers.Archive, OrderStatus.Archived),
        (OrderStatus.Archived, Triggers.Close, OrderStatus.Closed),
        (OrderStatus.Compensating, Triggers.Compensated, OrderStatus.Failed),
        (OrderStatus.Compensating, Triggers.CompensatedAfterCancellation, OrderStatus.Cancelled),
    ];

    /// <summary>
    /// Deadlines used when configuration sets none. Fulfilling and Compensating match the first
    /// saga's defaults (15 and 5 minutes); the human steps get working days.
    /// </summary>
    public static DeadlinePolicy DefaultDeadlines() => new()
    {
        Within =
        {
            [OrderStatus.Placed] = TimeSpan.FromMinutes(5),
            [OrderStatus.AwaitingApproval] = TimeSpan.FromDays(2),
            [OrderStatus.Approved] = TimeSpan.FromMinutes(5),
            [OrderStatus.Fulfilling] = TimeSpan.FromMinutes(15),
            [OrderStatus.Auditing] = TimeSpan.FromDays(1),
            [OrderStatus.Audited] = TimeSpan.FromMinutes(15),
            [OrderStatus.Completed] = TimeSpan.FromDays(7),
            [OrderStatus.Archived] = TimeSpan.FromDays(1),
            [OrderStatus.Compensating] = TimeSpan.FromMinutes(5),
        },
    };

    /// <summary>The table with the default deadlines; its steps are the same whatever the deadlines.</summary>
    public static StateTable Default { get; } = Table(DefaultDeadlines());

    /// <summary>The table with <paramref name="deadlines"/>, or a <see cref="DomainRuleViolation"/> if they do not fit it.</summary>
    public static StateTable Table(DeadlinePolicy deadlines) => new("order", States, Final, Steps, deadlines);
}
