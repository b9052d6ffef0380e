namespace Hub.Soap.Server;

/// <summary>Limits and security settings shared by every mapped SOAP service.</summary>
public sealed class SoapServerOptions
{
    /// <summary>Largest accepted request body, in bytes (default 1 MiB).</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest accepted element nesting, the Envelope being depth 1 (default 64).</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>How old a UsernameToken's <c>wsu:Created</c> may be (default 5 minutes).</summary>
    public TimeSpan CreatedFreshnessWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a <c>wsu:Created</c> may be, for clock skew (default 5 minutes, as WCF).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accept PasswordText tokens (default true; PasswordDigest is always accepted).</summary>
    public bool AllowPasswordText { get; set; } = true;

    /// <summary>Build the WSDL's soap:address from X-Forwarded-Proto / X-Forwarded-Host / X-Forwarded-Prefix (default true).</summary>
    public bool UseForwardedHeaders { get; set; } = true;
}
