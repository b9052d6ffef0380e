using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;

namespace Hub.Infrastructure.Monitoring;

/// <summary>
/// This process's counters between two heartbeats, fed by a consume observer on every endpoint and by
/// the failed-message capture. Interlocked counters only: it sits on the message path.
/// </summary>
public sealed class EndpointMetrics : IConsumeObserver
{
    private long _processed, _failed, _movedToError, _processingTicks, _criticalMs;
    private readonly ConcurrentDictionary<string, byte> _queues = new();
    private readonly Channel<long> _retriesSucceeded = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The queues this process consumes.</summary>
    public IReadOnlyCollection<string> Queues => _queues.Keys.Order().ToArray();

    /// <summary>Row ids of failed messages whose retry was just processed successfully.</summary>
    internal ChannelReader<long> RetriesSucceeded => _retriesSucceeded.Reader;

    internal void AddQueue(string queue) => _queues.TryAdd(queue, 0);

    internal void MovedToError() => Interlocked.Increment(ref _movedToError);

    /// <summary>Takes the counts since the last call and starts counting afresh.</summary>
    public MetricsSnapshot TakeSnapshot()
    {
        var processed = Interlocked.Exchange(ref _processed, 0);
        var failed = Interlocked.Exchange(ref _failed, 0);
        var moved = Interlocked.Exchange(ref _movedToError, 0);
        var ticks = Interlocked.Exchange(ref _processingTicks, 0);
        var critical = Interlocked.Exchange(ref _criticalMs, 0);
        return new MetricsSnapshot((int)processed, (int)failed, (int)Math.Max(0, failed - moved), (int)moved,
            processed == 0 ? 0 : TimeSpan.FromTicks(ticks).TotalMilliseconds / processed,
            processed == 0 ? 0 : (double)critical / processed);
    }

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context)
    {
        context.GetOrAddPayload(() => new MetricsStopwatch(Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context)
    {
        Interlocked.Increment(ref _processed);
        if (context.TryGetPayload<MetricsStopwatch>(out var sw))
            Interlocked.Add(ref _processingTicks, Stopwatch.GetElapsedTime(sw.Started).Ticks);
        if (context.SentTime is { } sent)
            Interlocked.Add(ref _criticalMs, (long)Math.Max(0, (DateTime.UtcNow - DateTime.SpecifyKind(sent, DateTimeKind.Utc)).TotalMilliseconds));
        if (RetryOf(context) is { } failedMessageId)
            _retriesSucceeded.Writer.TryWrite(failedMessageId);
        return Task.CompletedTask;
    }

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
    {
        Interlocked.Increment(ref _failed);
        return Task.CompletedTask;
    }

    /// <summary>The failed-message row a retried message stands for, from its header (transport or envelope).</summary>
    private static long? RetryOf(ConsumeContext context)
    {
        var value = context.ReceiveContext.TransportHeaders.Get<string>(FailedMessageStatus.RetryHeader)
            ?? context.Headers.Get<string>(FailedMessageStatus.RetryHeader);
        return long.TryParse(value, out var id) ? id : null;
    }

    private sealed record MetricsStopwatch(long Started);
}

/// <summary>Counts of one heartbeat interval.</summary>
public sealed record MetricsSnapshot(int Processed, int Failed, int Retried, int MovedToError, double ProcessingMs, double CriticalMs);
