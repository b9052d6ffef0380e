using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Persistence;

/// <summary>The loop of the store's background services (sweeper, scheduler, cleanups), for modules' own cleanups too.</summary>
public static class BackgroundLoop
{
    /// <summary>
    /// Waits until the host has started (so the bus is running), then runs <paramref name="work"/> every
    /// <paramref name="interval"/> (first at once when <paramref name="runAtStart"/>); runs again at once while a
    /// pass reports work done.
    /// </summary>
    public static async Task Run(IHostApplicationLifetime? lifetime, TimeSpan interval, Func<CancellationToken, Task<int>> work,
        ILogger logger, string name, CancellationToken stoppingToken, bool runAtStart = true)
    {
        try
        {
            await WaitForStart(lifetime, stoppingToken);
            using var timer = new PeriodicTimer(interval);
            if (!runAtStart)
                await timer.WaitForNextTickAsync(stoppingToken);
            do
            {
                try
                {
                    while (await work(stoppingToken) > 0 && !stoppingToken.IsCancellationRequested)
                    {
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "The {Work} failed; retrying in {Interval}", name, interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitForStart(IHostApplicationLifetime? lifetime, CancellationToken stoppingToken)
    {
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }
}

/// <summary>Sends a stored message again exactly as it was: same message id, headers, types and body.</summary>
internal static class StoredMessageSender
{
    public static async Task Send(IBus bus, HubStoredMessage row, ILogger logger, CancellationToken cancellationToken)
    {
        if (row.DestinationAddress is null)
        {
            logger.LogWarning("Stored message {MessageId} has no destination address; dropped", row.MessageId);
            return;
        }
        if (row.ExpirationTime is { } expires && expires < DateTime.UtcNow)
        {
            logger.LogWarning("Stored message {MessageId} to {Destination} expired at {Expiration:o}; dropped", row.MessageId, row.DestinationAddress, expires);
            return;
        }
        row.Deserialize(SystemTextJsonMessageSerializer.Instance);
        var endpoint = await bus.GetSendEndpoint(row.DestinationAddress);
        await endpoint.Send(new StoredMessage(), new OutboxMessageSendPipe(row, row.DestinationAddress), cancellationToken);
    }
}

/// <summary>Placeholder message type: <see cref="OutboxMessageSendPipe"/> replaces body, types and headers.</summary>
internal sealed class StoredMessage;
