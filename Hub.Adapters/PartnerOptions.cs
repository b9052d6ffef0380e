using System.ComponentModel.DataAnnotations;
using Hub.Adapters.Billing;

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
