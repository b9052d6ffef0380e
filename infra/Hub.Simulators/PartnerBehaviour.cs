namespace Hub.Simulators;

/// <summary>How a simulated partner misbehaves: latency, random transient failures, and an outage switch.</summary>
public sealed class PartnerBehaviour
{
    /// <summary>Added to every answer, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of calls (0..1) answered with a transient failure (HTTP 503).</summary>
    public double FailureRate { get; set; }

    /// <summary>While true every call fails with 503, as a partner that is down.</summary>
    public bool Down { get; set; }

    /// <summary>Waits the configured latency, then tells whether this call should fail transiently.</summary>
    public async Task<bool> ShouldFailAsync(CancellationToken ct)
    {
        if (LatencyMs > 0)
            await Task.Delay(LatencyMs, ct);
        return Down || (FailureRate > 0 && Random.Shared.NextDouble() < FailureRate);
    }
}
