using System.Net;
using Hub.Infrastructure.Monitoring;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Hub.Adapters.Billing;

/// <summary>
/// Settings of a partner's resilience pipeline (section <c>Partners:&lt;Name&gt;:Resilience</c>).
/// </summary>
public sealed class PartnerResilienceOptions
{
    /// <summary>Retries after the first attempt, on transient failures only.</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>First back-off delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Time one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Failure ratio over the sampling window that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;
    /// <summary>Window over which the failure ratio is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Fewest calls in the window before the circuit may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;
    /// <summary>How long the circuit stays open before one trial call.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// Longest <c>Retry-After</c> waited for in place; a partner asking for a longer pause is not retried here, so the
    /// bus's scheduled redelivery takes over without holding the consumer.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What Polly would refuse (at start rather than at the first call, with the setting's name); empty when fine.
    /// <paramref name="section"/> names the settings, e.g. <c>Partners:Billing:Resilience</c>.
    /// </summary>
    public IEnumerable<string> Problems(string section)
    {
        if (MaxRetries is < 1 or > 10)
            yield return $"{section}:MaxRetries must be from 1 to 10 (it was {MaxRetries}); the bus's redelivery retries further.";
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1))
            yield return $"{section}:RetryDelay must be from 0 to 1 minute.";
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TimeSpan.FromMinutes(10))
            yield return $"{section}:AttemptTimeout must be from 10 ms to 10 minutes.";
        if (BreakerFailureRatio is <= 0 or > 1)
            yield return $"{section}:BreakerFailureRatio must be above 0 and at most 1.";
        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            yield return $"{section}:BreakerSamplingDuration must be at least 0.5 s.";
        if (BreakerMinimumThroughput < 2)
            yield return $"{section}:BreakerMinimumThroughput must be at least 2.";
        if (BreakDuration < TimeSpan.FromMilliseconds(500))
            yield return $"{section}:BreakDuration must be at least 0.5 s.";
        if (MaxRetryAfter < TimeSpan.Zero)
            yield return $"{section}:MaxRetryAfter must not be negative.";
    }
}

/// <summary>
/// A Polly.Core pipeline (retry with jittered back-off, per-attempt timeout, circuit breaker)
/// as a DelegatingHandler, standing in for Microsoft.Extensions.Http.Resilience, which our
/// registry lacks. Only transient failures are retried: a refusal is an answer.
/// </summary>
public sealed class PartnerResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>A pipeline for <paramref name="partner"/>; its circuit's state changes go to <paramref name="circuits"/> when given.</summary>
    public PartnerResilienceHandler(PartnerResilienceOptions options, string partner, PartnerCircuits? circuits = null)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode));
        // A pause asked for that is longer than we wait in place is left to the bus's redelivery.
        var retryable = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode) && !(RetryAfter(r) > options.MaxRetryAfter));
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = partner }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = retryable,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Throttling answers say when to come back; sooner would only be refused again.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r) : null),
            })
            .AddCircuitBreaker(Watch(circuits, partner, new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = options.BreakerFailureRatio,
                SamplingDuration = options.BreakerSamplingDuration,
                MinimumThroughput = options.BreakerMinimumThroughput,
                BreakDuration = options.BreakDuration,
            }))
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    private static CircuitBreakerStrategyOptions<HttpResponseMessage> Watch(PartnerCircuits? circuits, string partner,
        CircuitBreakerStrategyOptions<HttpResponseMessage> breaker) => circuits?.Watch(partner, breaker) ?? breaker;

    /// <summary>Statuses worth another attempt: timeouts, throttling and server-side failures.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The pause a <c>Retry-After</c> header asks for (seconds or a date), or null without one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await base.SendAsync(request, ct), cancellationToken);
}
