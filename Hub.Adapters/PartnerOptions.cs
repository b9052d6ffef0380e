using System.ComponentModel.DataAnnotations;
using Hub.Adapters.Billing;
using Microsoft.Extensions.Options;

namespace Hub.Adapters;

/// <summary>How the hub reaches one partner system (section <c>Partners:&lt;Name&gt;</c>).</summary>
public sealed class PartnerOptions
{
    /// <summary>Base URL of the partner's service.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "";

    /// <summary>User name the hub presents (WS-Security UsernameToken for ERP).</summary>
    public string? Username { get; set; }

    /// <summary>Password the hub presents.</summary>
    public string? Password { get; set; }

    /// <summary>Retry, timeout and circuit-breaker settings.</summary>
    public PartnerResilienceOptions Resilience { get; set; } = new();
}

/// <summary>
/// Checks <c>Partners:&lt;name&gt;:Resilience</c> at start: a value Polly refuses (e.g. <c>MaxRetries=0</c>) would otherwise
/// surface only at the first partner call, as an exception far from the setting.
/// </summary>
internal sealed class PartnerResilienceValidator(string partner) : IValidateOptions<PartnerOptions>
{
    public ValidateOptionsResult Validate(string? name, PartnerOptions options)
    {
        if (name != partner)
            return ValidateOptionsResult.Skip;
        var problems = options.Resilience.Problems($"Partners:{partner}:Resilience").ToArray();
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
