namespace Crm.Domain.ServiceTickets;

/// <summary>The named states of a service ticket, as the saga and every channel report them.</summary>
public static class ServiceTicketStatus
{
    /// <summary>Recorded by the service representative during the call.</summary>
    public const string Open = "Open";
    /// <summary>Not solvable on the call: submitted for the technical section's review (技术科审核).</summary>
    public const string AwaitingReview = "AwaitingReview";
    /// <summary>Reviewed and passed to an office (转给办事处), whose supervisor assigns an engineer.</summary>
    public const string Dispatched = "Dispatched";
    /// <summary>A field work order (派工单) was issued to an engineer, who has not yet accepted it.</summary>
    public const string Assigned = "Assigned";
    /// <summary>The engineer accepted and is on the way or on site.</summary>
    public const string Accepted = "Accepted";
    /// <summary>Parts or a return to the factory (返司维修) are needed; the supervisor will reassign.</summary>
    public const string AwaitingParts = "AwaitingParts";
    /// <summary>Repaired on site.</summary>
    public const string Completed = "Completed";
    /// <summary>Solved without a visit: on the call or by the technical section.</summary>
    public const string Resolved = "Resolved";
    /// <summary>A follow-up visit (回访) is scheduled.</summary>
    public const string FollowingUp = "FollowingUp";
    /// <summary>Done. Final.</summary>
    public const string Closed = "Closed";
    /// <summary>The customer withdrew the request before a repair started. Final.</summary>
    public const string Withdrawn = "Withdrawn";
}

/// <summary>
/// The service ticket's process table (003 §3.7.2–3.7.4, 002 §5.2): request or complaint taken on
/// the call, resolved there or submitted for review, dispatched to an office, assigned to an
/// engineer by a field work order, repaired (or reassigned after parts or a factory return), and
/// followed up. Deadlines per waiting state as for orders.
/// </summary>
public static class ServiceTicketLifecycle
{
    /// <summary>Names of the steps.</summary>
    public static class Triggers
    {
        /// <summary>The ticket was taken: the history entry that creates it, not a step of the table.</summary>
        public const string Open = "Open";
        /// <summary>The representative solved it on the call.</summary>
        public const string ResolveOnCall = "ResolveOnCall";
        /// <summary>Submitted for technical review.</summary>
        public const string Submit = "Submit";
        /// <summary>The technical section passed it to an office.</summary>
        public const string Dispatch = "Dispatch";
        /// <summary>The technical section solved it without a visit.</summary>
        public const string ResolveRemotely = "ResolveRemotely";
        /// <summary>The office supervisor issued a field work order to an engineer.</summary>
        public const string AssignEngineer = "AssignEngineer";
        /// <summary>The engineer accepted the field work order.</summary>
        public const string Accept = "Accept";
        /// <summary>The engineer declined it; back to the supervisor.</summary>
        public const string Decline = "Decline";
        /// <summary>The supervisor issued a new field work order to (another) engineer.</summary>
        public const string Reassign = "Reassign";
        /// <summary>Repaired.</summary>
        public const string CompleteRepair = "CompleteRepair";
        /// <summary>Parts or a return to the factory are needed.</summary>
        public const string NeedParts = "NeedParts";
        /// <summary>A follow-up visit was scheduled.</summary>
        public const string ScheduleFollowUp = "ScheduleFollowUp";
        /// <summary>The customer did not answer; the follow-up was rescheduled (改签).</summary>
        public const string RescheduleFollowUp = "RescheduleFollowUp";
        /// <summary>The customer answered the follow-up.</summary>
        public const string FollowUpAnswered = "FollowUpAnswered";
        /// <summary>The customer never answered; the follow-up was given up.</summary>
        public const string FollowUpAbandoned = "FollowUpAbandoned";
        /// <summary>Closed without a follow-up.</summary>
        public const string Close = "Close";
        /// <summary>The customer withdrew.</summary>
        public const string Withdraw = "Withdraw";
    }

    private static readonly string[] States =
    [
        ServiceTicketStatus.Open, ServiceTicketStatus.AwaitingReview, ServiceTicketStatus.Dispatched, ServiceTicketStatus.Assigned,
        ServiceTicketStatus.Accepted, ServiceTicketStatus.AwaitingParts, ServiceTicketStatus.Completed, ServiceTicketStatus.Resolved,
        ServiceTicketStatus.FollowingUp, ServiceTicketStatus.Closed, ServiceTicketStatus.Withdrawn,
    ];

    private static readonly string[] Final = [ServiceTicketStatus.Closed, ServiceTicketStatus.Withdrawn];

    private static readonly (string, string, string)[] Steps =
    [
        (ServiceTicketStatus.Open, Triggers.ResolveOnCall, ServiceTicketStatus.Resolved),
        (ServiceTicketStatus.Open, Triggers.Submit, ServiceTicketStatus.AwaitingReview),
        (ServiceTicketStatus.Open, Triggers.Withdraw, ServiceTicketStatus.Withdrawn),
        (ServiceTicketStatus.AwaitingReview, Triggers.Dispatch, ServiceTicketStatus.Dispatched),
        (ServiceTicketStatus.AwaitingReview, Triggers.ResolveRemotely, ServiceTicketStatus.Resolved),
        (ServiceTicketStatus.AwaitingReview, Triggers.Withdraw, ServiceTicketStatus.Withdrawn),
        (ServiceTicketStatus.Dispatched, Triggers.AssignEngineer, ServiceTicketStatus.Assigned),
        (ServiceTicketStatus.Dispatched, Triggers.Withdraw, ServiceTicketStatus.Withdrawn),
        (ServiceTicketStatus.Assigned, Triggers.Accept, ServiceTicketStatus.Accepted),
        (ServiceTicketStatus.Assigned, Triggers.Decline, ServiceTicketStatus.Dispatched),
        (ServiceTicketStatus.Assigned, Triggers.Reassign, ServiceTicketStatus.Assigned),
        (ServiceTicketStatus.Assigned, Triggers.Withdraw, ServiceTicketStatus.Withdrawn),
        (ServiceTicketStatus.Accepted, Triggers.CompleteRepair, ServiceTicketStatus.Completed),
        (ServiceTicketStatus.Accepted, Triggers.NeedParts, ServiceTicketStatus.AwaitingParts),
        (ServiceTicketStatus.AwaitingParts, Triggers.Reassign, ServiceTicketStatus.Assigned),
        (ServiceTicketStatus.Completed, Triggers.ScheduleFollowUp, ServiceTicketStatus.FollowingUp),
        (ServiceTicketStatus.Completed, Triggers.Close, ServiceTicketStatus.Closed),
        (ServiceTicketStatus.Resolved, Triggers.ScheduleFollowUp, ServiceTicketStatus.FollowingUp),
        (ServiceTicketStatus.Resolved, Triggers.Close, ServiceTicketStatus.Closed),
        (ServiceTicketStatus.FollowingUp, Triggers.RescheduleFollowUp, ServiceTicketStatus.FollowingUp),
        (ServiceTicketStatus.FollowingUp, Triggers.FollowUpAnswered, ServiceTicketStatus.Closed),
        (ServiceTicketStatus.FollowingUp, Triggers.FollowUpAbandoned, ServiceTicketStatus.Closed),
    ];

    /// <summary>Deadlines used when configuration sets none: minutes on the call, hours in the back office, days in the field.</summary>
    public static DeadlinePolicy DefaultDeadlines() => new()
    {
        Within =
        {
            [ServiceTicketStatus.Open] = TimeSpan.FromMinutes(30),
            [ServiceTicketStatus.AwaitingReview] = TimeSpan.FromHours(4),
            [ServiceTicketStatus.Dispatched] = TimeSpan.FromHours(4),
            [ServiceTicketStatus.Assigned] = TimeSpan.FromHours(2),
            [ServiceTicketStatus.Accepted] = TimeSpan.FromDays(2),
            [ServiceTicketStatus.AwaitingParts] = TimeSpan.FromDays(14),
            [ServiceTicketStatus.Completed] = TimeSpan.FromDays(2),
            [ServiceTicketStatus.Resolved] = TimeSpan.FromDays(2),
            [ServiceTicketStatus.FollowingUp] = TimeSpan.FromDays(3),
        },
    };

    /// <summary>The table with the default deadlines; its steps are the same whatever the deadlines.</summary>
    public static StateTable Default { get; } = Table(DefaultDeadlines());

    /// <summary>The table with <paramref name="deadlines"/>, or a <see cref="DomainRuleViolation"/> if they do not fit it.</summary>
    public static StateTable Table(DeadlinePolicy deadlines) => new("service ticket", States, Final, Steps, deadlines);
}
