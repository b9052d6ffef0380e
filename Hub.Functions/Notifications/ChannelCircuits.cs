using Hub.Infrastructure.Monitoring;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Hub.Functions.Notifications;

/// <summary>
/// One circuit breaker per provider (the SMTP server, the SMS gateway) in this process: when half the sends of 30
/// seconds (at least <see cref="ChannelRate.BreakerMinimumThroughput"/>) fail for a reason a retry may cure, further
/// sends fail at once for <see cref="ChannelRate.BreakDuration"/> (the bus redelivers them later) instead of each waiting
/// on a dead server. A refusal (<see cref="NotificationRejectedException"/>) is an answer, not a failure. Each breaker
/// reports to <see cref="PartnerCircuits"/>, so operations see it open.
/// </summary>
public sealed class ChannelCircuits
{
    private readonly Dictionary<string, (string Partner, ResiliencePipeline Pipeline)> _pipelines;
    private readonly PartnerCircuits _circuits;

    public ChannelCircuits(PartnerCircuits circuits, IOptions<NotificationsOptions> options)
    {
        _circuits = circuits;
        var channels = options.Value.Channels;
        _pipelines = new()
        {
            [NotificationChannel.Email] = ("smtp", Build(circuits, "smtp", channels.Email)),
            [NotificationChannel.Sms] = ("sms-gateway", Build(circuits, "sms-gateway", channels.Sms)),
        };
    }

    /// <summary>Runs <paramref name="send"/> through the breaker of <paramref name="channel"/>.</summary>
    public async ValueTask SendAsync(string channel, Func<CancellationToken, ValueTask> send, CancellationToken ct)
    {
        var (partner, pipeline) = _pipelines[channel];
        try
        {
            await pipeline.ExecuteAsync(send, ct);
        }
        catch (BrokenCircuitException open)
        {
            // Name the provider and what tripped it: the notification's reason and the error queue say why.
            var last = _circuits.Snapshot().FirstOrDefault(c => c.Partner == partner)?.Reason;
            throw new ChannelUnavailableException($"The {partner} circuit is open after repeated failures (last: {last}); the send is retried later.", open);
        }
    }

    private static ResiliencePipeline Build(PartnerCircuits circuits, string partner, ChannelRate settings)
    {
        var breaker = new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not (NotificationRejectedException or OperationCanceledException)),
            FailureRatio = 0.5,
            MinimumThroughput = settings.BreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = settings.BreakDuration,
        };
        circuits.Watch(partner, breaker);
        return new ResiliencePipelineBuilder { Name = partner }.AddCircuitBreaker(breaker).Build();
    }
}

/// <summary>A provider's circuit is open: the send was not tried; a transient failure, retried by the bus.</summary>
public sealed class ChannelUnavailableException(string message, Exception inner) : Exception(message, inner);
