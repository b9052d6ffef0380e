using Polly;

namespace Hub.Soap.Client;

/// <summary>
/// How a <see cref="SoapClient"/> calls one endpoint. Keep one instance per endpoint for the application's lifetime:
/// the resilience pipeline (and so the circuit breaker's state) is built once per options instance, on first use;
/// later changes to <see cref="Resilience"/> have no effect.
/// </summary>
public sealed class SoapClientOptions
{
    /// <summary>The service address; absolute, or relative to the HttpClient's BaseAddress (null = BaseAddress itself).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>SOAP 1.1 (default) or 1.2.</summary>
    public SoapVersion Version { get; set; } = SoapVersion.Soap11;

    /// <summary>UsernameToken user name; no security header when null or empty.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>PasswordDigest (default) or PasswordText.</summary>
    public bool UsePasswordDigest { get; set; } = true;

    /// <summary>Set mustUnderstand="1" on wsse:Security, as WCF clients do (default true).</summary>
    public bool SecurityMustUnderstand { get; set; } = true;

    /// <summary>Largest accepted response body (default 4 MiB).</summary>
    public long MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Deepest accepted response nesting (default 64).</summary>
    public int MaxResponseDepth { get; set; } = 64;

    public SoapResilienceOptions Resilience { get; set; } = new();

    /// <summary>Replaces the pipeline built from <see cref="Resilience"/> (then <see cref="SoapClient.CircuitState"/> is null).</summary>
    public ResiliencePipeline? Pipeline { get; set; }
}

/// <summary>Retry (transient failures only), circuit breaker and per-attempt timeout, outermost first.</summary>
public sealed class SoapResilienceOptions
{
    /// <summary>Retries after the first attempt (default 3; 0 = no retry).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First back-off delay, doubled per retry with jitter (default 200 ms).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    public bool UseJitter { get; set; } = true;

    /// <summary>Timeout of one attempt (default 30 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool EnableCircuitBreaker { get; set; } = true;

    /// <summary>Share of transient failures in the sampling window that opens the circuit (default 0.5).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the ratio counts (default 10, at least 2).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call (default 30 s).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for delays and the breaker (tests); null = system.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Called with the circuit breaker's options before the pipeline is built, e.g. to watch its state changes.</summary>
    public Action<Polly.CircuitBreaker.CircuitBreakerStrategyOptions<object>>? ObserveCircuitBreaker { get; set; }
}

/// <summary>The partner's answer was not a usable SOAP response (not an envelope, wrong element, unreadable body). Not retried.</summary>
public sealed class SoapProtocolException(string message, Exception? innerException = null) : Exception(message, innerException);
