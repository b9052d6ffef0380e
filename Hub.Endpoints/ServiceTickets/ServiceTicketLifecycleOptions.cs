using Crm.Domain;
using Crm.Domain.ServiceTickets;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// Deadlines (时限) and follow-up rules of the service ticket lifecycle, section <c>ServiceTickets:Lifecycle</c>. A state not
/// named under <c>Deadlines</c> keeps the domain's default (<see cref="ServiceTicketLifecycle.DefaultDeadlines"/>).
/// </summary>
public sealed class ServiceTicketLifecycleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "ServiceTickets:Lifecycle";

    /// <summary>Longest wait per state, e.g. <c>ServiceTickets:Lifecycle:Deadlines:Assigned=02:00:00</c>.</summary>
    public Dictionary<string, TimeSpan> Deadlines { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long after completion (or a resolution) the follow-up call (回访) must be answered by.</summary>
    public TimeSpan FollowUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Calls made before a follow-up is given up.</summary>
    public int FollowUpMaxAttempts { get; set; } = 3;

    /// <summary>How long after an unanswered call the next one is due (改签).</summary>
    public TimeSpan FollowUpRetryAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The domain's defaults with the configured deadlines over them.</summary>
    public DeadlinePolicy DeadlinePolicy()
    {
        var policy = ServiceTicketLifecycle.DefaultDeadlines();
        foreach (var (state, within) in Deadlines)
            policy = policy.With(state, within);
        return policy;
    }

    /// <summary>The lifecycle with these deadlines, or a <see cref="DomainRuleViolation"/> if they do not fit it.</summary>
    public StateTable Table() => ServiceTicketLifecycle.Table(DeadlinePolicy());

    /// <summary>The retry rules of follow-up visits.</summary>
    public FollowUpPolicy FollowUpPolicy() => new() { MaxAttempts = FollowUpMaxAttempts, RetryAfter = FollowUpRetryAfter };
}

/// <summary>Refuses, at start, deadlines the lifecycle does not have and follow-up rules that make no sense, saying which.</summary>
public sealed class ServiceTicketLifecycleOptionsValidation : IValidateOptions<ServiceTicketLifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceTicketLifecycleOptions options)
    {
        var failures = new List<string>();
        foreach (var check in new Action[] { () => options.Table(), () => options.FollowUpPolicy().Validate() })
        {
            try { check(); }
            catch (DomainRuleViolation v) { failures.AddRange(v.Errors.SelectMany(e => e.Value.Select(m => $"{ServiceTicketLifecycleOptions.Section}:{e.Key} {m}"))); }
        }
        if (options.FollowUpAfter <= TimeSpan.Zero || options.FollowUpAfter > TimeSpan.FromDays(30))
            failures.Add($"{ServiceTicketLifecycleOptions.Section}:FollowUpAfter must be more than zero and at most 30 days");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
