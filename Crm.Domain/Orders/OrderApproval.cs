namespace Crm.Domain.Orders;

/// <summary>
/// When an order needs a manager's approval (003 §3.4.1 订单审批), configuration section
/// <c>Orders:Approval</c>.
/// </summary>
public sealed class OrderApprovalPolicy
{
    /// <summary>Orders whose total is above this amount wait for a manager; at or below it they are approved at once.</summary>
    public decimal Threshold { get; init; } = 50_000m;

    /// <summary>Whether an order of <paramref name="totalAmount"/> waits for a manager.</summary>
    public bool RequiresApproval(decimal totalAmount) => totalAmount > Threshold;

    /// <summary>Throws a <see cref="DomainRuleViolation"/> if the configuration makes no sense.</summary>
    public void Validate() =>
        new RuleCheck().Require(Threshold >= 0, "threshold", "must not be negative").ThrowIfBroken();
}

/// <summary>Where an order stands with its approval.</summary>
public enum ApprovalState
{
    /// <summary>Not yet submitted for approval.</summary>
    NotSubmitted,
    /// <summary>At or below the threshold: approved without a manager.</summary>
    NotRequired,
    /// <summary>Waits for a manager.</summary>
    Awaiting,
    /// <summary>A manager approved.</summary>
    Approved,
    /// <summary>A manager refused.</summary>
    Rejected,
}

/// <summary>The outcome of an order's audit (稽核, 000 §3.4), once all its work orders succeeded.</summary>
/// <param name="Passed">Whether the order passed.</param>
/// <param name="Reason">Why it failed; required when it did.</param>
/// <param name="AuditorId">Who (or which checking system) audited.</param>
/// <param name="At">When.</param>
public sealed record OrderAudit(bool Passed, string? Reason, string AuditorId, DateTimeOffset At)
{
    /// <summary>A passed audit.</summary>
    public static OrderAudit Pass(string auditorId, DateTimeOffset at) => new(true, null, auditorId, at);

    /// <summary>A failed audit and why.</summary>
    public static OrderAudit Fail(string reason, string auditorId, DateTimeOffset at) => new(false, reason, auditorId, at);
}
