namespace Crm.Domain.ServiceTickets;

/// <summary>
/// How follow-up visits are retried (003 §3.7.4: 将没有应答的任务明细改签), configuration section
/// <c>ServiceTickets:FollowUp</c>.
/// </summary>
public sealed class FollowUpPolicy
{
    /// <summary>Calls made before a follow-up is given up.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long after an unanswered call the next one is scheduled.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Throws a <see cref="DomainRuleViolation"/> if the configuration makes no sense.</summary>
    public void Validate() => new RuleCheck()
        .Require(MaxAttempts is >= 1 and <= 10, "maxAttempts", "must be from 1 to 10")
        .Require(RetryAfter > TimeSpan.Zero && RetryAfter <= TimeSpan.FromDays(30), "retryAfter", "must be more than zero and at most 30 days")
        .ThrowIfBroken();
}

/// <summary>Where a follow-up visit stands.</summary>
public enum FollowUpStatus
{
    /// <summary>Waiting for the next call.</summary>
    Scheduled,
    /// <summary>The customer answered and gave a score.</summary>
    Answered,
    /// <summary>Given up after the last unanswered call.</summary>
    Unreachable,
}

/// <summary>
/// A 回访 (003 §3.7.4): a service representative calls the customer after the ticket was solved
/// to learn their satisfaction (1 to 5). Changed only through its <see cref="ServiceTicket"/>.
/// </summary>
public sealed class FollowUpVisit
{
    /// <summary>Lowest satisfaction score.</summary>
    public const int MinSatisfaction = 1;

    /// <summary>Highest satisfaction score.</summary>
    public const int MaxSatisfaction = 5;

    private FollowUpVisit() { }

    /// <summary>Identity chosen by the caller; scheduling the same id again changes nothing.</summary>
    public Guid Id { get; private set; }

    /// <summary>The ticket followed up.</summary>
    public Guid TicketId { get; private set; }

    /// <summary>The service representative making the call.</summary>
    public string AssignedTo { get; private set; } = "";

    /// <summary>When the next call is due.</summary>
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>Calls made so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the last call was made.</summary>
    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>Where it stands.</summary>
    public FollowUpStatus Status { get; private set; }

    /// <summary>The customer's satisfaction, 1 (poor) to 5 (excellent), once answered.</summary>
    public int? Satisfaction { get; private set; }

    /// <summary>What the customer said.</summary>
    public string? Remarks { get; private set; }

    internal static FollowUpVisit Schedule(Guid id, Guid ticketId, string assignedTo, DateTimeOffset dueAt) => new()
    {
        Id = id, TicketId = ticketId, AssignedTo = assignedTo.Trim(), DueAt = dueAt, Status = FollowUpStatus.Scheduled,
    };

    internal void Answered(int satisfaction, string? remarks, DateTimeOffset at)
    {
        Attempts++;
        LastAttemptAt = at;
        Satisfaction = satisfaction;
        Remarks = remarks?.Trim();
        Status = FollowUpStatus.Answered;
    }

    /// <summary>Counts an unanswered call; reschedules and returns true while attempts remain, else gives up.</summary>
    internal bool Unanswered(FollowUpPolicy policy, DateTimeOffset at)
    {
        Attempts++;
        LastAttemptAt = at;
        if (Attempts < policy.MaxAttempts)
        {
            DueAt = at + policy.RetryAfter;
            return true;
        }
        Status = FollowUpStatus.Unreachable;
        return false;
    }
}
