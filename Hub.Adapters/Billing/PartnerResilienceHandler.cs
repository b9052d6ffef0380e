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
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = partner }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async ct => await base.SendAsync(request, ct), cancellationToken);
}
