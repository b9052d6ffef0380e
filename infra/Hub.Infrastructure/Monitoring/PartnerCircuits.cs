using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Hub.Infrastructure.Monitoring;

/// <summary>A partner's circuit in this process, as the heartbeat reports it.</summary>
public sealed record PartnerCircuitStatus(string Partner, string State, DateTime Since, string? Reason);

/// <summary>
/// The circuit breakers of this process's partner calls (ERP, billing, SMTP, SMS), watched in one place: each breaker's
/// state changes are recorded here, the heartbeat carries them to the store as <c>circuit:&lt;partner&gt;</c> health
/// entries, and the operations alerts raise "partner circuit open" from them.
/// </summary>
public sealed class PartnerCircuits(TimeProvider clock, ILogger<PartnerCircuits> logger)
{
    /// <summary>Circuit states as reported.</summary>
    public const string Closed = "closed", Open = "open", HalfOpen = "half-open";

    /// <summary>Prefix of the circuits' entries in a heartbeat's health.</summary>
    public const string HealthPrefix = "circuit:";

    private readonly ConcurrentDictionary<string, PartnerCircuitStatus> _circuits = new(StringComparer.Ordinal);

    /// <summary>The circuits this process has, by partner.</summary>
    public IReadOnlyCollection<PartnerCircuitStatus> Snapshot() => _circuits.Values.ToArray();

    /// <summary>Records that the circuit to <paramref name="partner"/> is now <paramref name="state"/>.</summary>
    public void Report(string partner, string state, string? reason = null)
    {
        var previous = _circuits.TryGetValue(partner, out var known) ? known.State : null;
        _circuits[partner] = new PartnerCircuitStatus(partner, state, clock.GetUtcNow().UtcDateTime, reason);
        if (state == Open && previous != Open)
            logger.LogError("Circuit to {Partner} opened: {Reason}", partner, reason);
        else if (state == Closed && previous is not (null or Closed))
            logger.LogInformation("Circuit to {Partner} closed", partner);
    }

    /// <summary>
    /// <paramref name="options"/> with its state changes reported for <paramref name="partner"/> (any callbacks it
    /// already had still run), and the partner listed as closed until then.
    /// </summary>
    public CircuitBreakerStrategyOptions<T> Watch<T>(string partner, CircuitBreakerStrategyOptions<T> options)
    {
        _circuits.TryAdd(partner, new PartnerCircuitStatus(partner, Closed, clock.GetUtcNow().UtcDateTime, null));
        var opened = options.OnOpened;
        var closed = options.OnClosed;
        var halfOpened = options.OnHalfOpened;
        options.OnOpened = args =>
        {
            Report(partner, Open, args.Outcome.Exception?.Message ?? DescribeResult(args.Outcome.Result));
            return opened?.Invoke(args) ?? default;
        };
        options.OnClosed = args =>
        {
            Report(partner, Closed);
            return closed?.Invoke(args) ?? default;
        };
        options.OnHalfOpened = args =>
        {
            Report(partner, HalfOpen);
            return halfOpened?.Invoke(args) ?? default;
        };
        return options;
    }

    private static string? DescribeResult<T>(T? result) => result switch
    {
        HttpResponseMessage response => $"{(int)response.StatusCode} {response.ReasonPhrase}",
        null => null,
        _ => result.ToString(),
    };
}

/// <summary>Readiness sees an open partner circuit as degraded: the process works, one partner does not (no restart helps).</summary>
internal sealed class PartnerCircuitsHealthCheck(PartnerCircuits circuits) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var notClosed = circuits.Snapshot().Where(c => c.State != PartnerCircuits.Closed).ToList();
        return Task.FromResult(notClosed.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Join("; ", notClosed.Select(c => $"{c.Partner} {c.State} since {c.Since:O}: {c.Reason}")),
                data: notClosed.ToDictionary(c => c.Partner, c => (object)c.State)));
    }
}
