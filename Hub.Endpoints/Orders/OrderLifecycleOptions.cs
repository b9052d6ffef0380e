using System.ComponentModel.DataAnnotations;
using Crm.Domain;
using Crm.Domain.Orders;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Deadlines (000's 时限) and partner rules of the order lifecycle, section <c>Orders:Lifecycle</c>. A state not named under
/// <c>Deadlines</c> keeps the domain's default (<see cref="OrderLifecycle.DefaultDeadlines"/>).
/// </summary>
public sealed class OrderLifecycleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Orders:Lifecycle";

    /// <summary>Longest wait per state, e.g. <c>Orders:Lifecycle:Deadlines:AwaitingApproval=1.00:00:00</c>.</summary>
    public Dictionary<string, TimeSpan> Deadlines { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first saga's name for <c>Deadlines:Fulfilling</c>, still honoured; <c>Deadlines:Fulfilling</c> wins when both are set.</summary>
    public TimeSpan? FulfilmentDeadline { get; set; }

    /// <summary>The first saga's name for <c>Deadlines:Compensating</c>, still honoured; <c>Deadlines:Compensating</c> wins when both are set.</summary>
    public TimeSpan? CompensationDeadline { get; set; }

    /// <summary>Currency of billing charges.</summary>
    [Required, StringLength(3, MinimumLength = 3)]
    public string Currency { get; set; } = "CNY";

    /// <summary>
    /// Whether a partner command that failed after every retry (its <c>Fault</c>) compensates the order at once
    /// (default). When false the order waits in Fulfilling for operations to retry the command from the error
    /// queue at <c>/ops</c> once the partner is back; the fulfilment deadline still compensates if nobody does.
    /// </summary>
    public bool CompensateOnPartnerFault { get; set; } = true;

    /// <summary>The domain's defaults, then the first saga's two settings, then <see cref="Deadlines"/>.</summary>
    public DeadlinePolicy DeadlinePolicy()
    {
        var policy = OrderLifecycle.DefaultDeadlines();
        if (FulfilmentDeadline is { } fulfilment)
            policy = policy.With(OrderStatus.Fulfilling, fulfilment);
        if (CompensationDeadline is { } compensation)
            policy = policy.With(OrderStatus.Compensating, compensation);
        foreach (var (state, within) in Deadlines)
            policy = policy.With(state, within);
        return policy;
    }

    /// <summary>The lifecycle with these deadlines, or a <see cref="DomainRuleViolation"/> if they do not fit it.</summary>
    public StateTable Table() => OrderLifecycle.Table(DeadlinePolicy());
}

/// <summary>When an order needs a manager's approval (003 §3.4.1 订单审批), section <c>Orders:Approval</c>.</summary>
public sealed class OrderApprovalOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Orders:Approval";

    /// <summary>Orders whose total is above this amount wait for a manager of the owner's region; at or below it they are approved at once.</summary>
    public decimal Threshold { get; set; } = new OrderApprovalPolicy().Threshold;

    /// <summary>The domain's policy.</summary>
    public OrderApprovalPolicy Policy() => new() { Threshold = Threshold };
}

/// <summary>How orders are audited (稽核) once every work order succeeded, section <c>Orders:Audit</c>.</summary>
public sealed class OrderAuditOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Orders:Audit";

    /// <summary>
    /// False (default): the automatic audit decides at once. True: an order the automatic checks pass waits in Auditing for a staff
    /// member with <c>orders.audit</c> over its owner to pass or refuse it (<see cref="Crm.Contracts.Orders.AuditOrder"/>); the
    /// Auditing deadline still alarms and compensates if nobody does. Orders the checks fail compensate at once either way.
    /// </summary>
    public bool Manual { get; set; }
}

/// <summary>Refuses, at start, deadlines the order lifecycle does not have and an approval threshold that makes no sense, saying which.</summary>
public sealed class OrderOptionsValidation : IValidateOptions<OrderLifecycleOptions>, IValidateOptions<OrderApprovalOptions>
{
    public ValidateOptionsResult Validate(string? name, OrderLifecycleOptions options) => Check(OrderLifecycleOptions.Section, () => options.Table());

    public ValidateOptionsResult Validate(string? name, OrderApprovalOptions options) => Check(OrderApprovalOptions.Section, () => options.Policy().Validate());

    private static ValidateOptionsResult Check(string section, Action check)
    {
        try
        {
            check();
            return ValidateOptionsResult.Success;
        }
        catch (DomainRuleViolation v)
        {
            return ValidateOptionsResult.Fail(v.Errors.SelectMany(e => e.Value.Select(m => $"{section}:{e.Key} {m}")));
        }
    }
}
