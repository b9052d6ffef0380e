using Hub.Infrastructure.Monitoring;
using Polly;
using Polly.CircuitBreaker;

namespace Hub.Functions.Notifications;

/// <summary>
/// One circuit breaker per provider (the SMTP server, the SMS gateway) in this process: when most sends in the window
/// fail for a reason a retry may cure, further sends fail at once for <see cref="BreakDuration"/> (the bus redelivers
/// them later) instead of each waiting on a dead server. A refusal (<see cref="NotificationRejectedException"/>) is an
/// answer, not a failure. Each breaker reports to <see cref="PartnerCircuits"/>, so operations see it open.
/// </summary>
public sealed class ChannelCircuits
{
    /// <summary>How long a tripped breaker stays open before one trial send.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, ResiliencePipeline> _pipelines;

    public ChannelCircuits(PartnerCircuits circuits) => _pipelines = new()
    {
        [NotificationChannel.Email] = Build(circuits, "smtp"),
        [NotificationChannel.Sms] = Build(circuits, "sms-gateway"),
    };

    /// <summary>Runs <paramref name="send"/> through the breaker of <paramref name="channel"/>.</summary>
    public ValueTask SendAsync(string channel, Func<CancellationToken, ValueTask> send, CancellationToken ct) =>
        _pipelines[channel].ExecuteAsync(send, ct);

    private static ResiliencePipeline Build(PartnerCircuits circuits, string partner)
    {
        var breaker = new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not (NotificationRejectedException or OperationCanceledException)),
            FailureRatio = 0.5,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = BreakDuration,
        };
        circuits.Watch(partner, breaker);
        return new ResiliencePipelineBuilder { Name = partner }.AddCircuitBreaker(breaker).Build();
    }
}
