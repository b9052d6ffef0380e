using Hub.Infrastructure;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Hub.Adapters.Ops;

/// <summary>
/// Keeps the broker's <c>&lt;queue&gt;_error</c> queues to what still needs operations: a copy whose failed message
/// was resolved by a retry or archived is removed; everything else stays where it is. The store's
/// <c>failed_message</c> row remains the record either way. RabbitMQ cannot delete one message by id, so a sweep
/// takes the queue's messages unacknowledged, acknowledges the settled ones and closes its channel, which puts the
/// rest back in their order.
/// </summary>
public sealed class ErrorQueueSweep(IServiceScopeFactory scopes, IOptions<HubOptions> hub, IOptions<OpsAlertOptions> ops, IHostApplicationLifetime lifetime,
    ILogger<ErrorQueueSweep> logger)
    : BackgroundService
{
    private const string ErrorSuffix = "_error";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        string.Equals(hub.Value.Transport, "rabbitmq", StringComparison.OrdinalIgnoreCase)
            ? BackgroundLoop.Run(lifetime, ops.Value.ErrorQueueSweepInterval, SweepAllAsync, logger, "error queue sweep", stoppingToken, runAtStart: false)
            : Task.CompletedTask;

    private async Task<int> SweepAllAsync(CancellationToken ct)
    {
        // One connection per round, a channel per error queue.
        await using var connection = await ConnectionFactoryFor(hub.Value.RabbitMq).CreateConnectionAsync(ct);
        foreach (var queue in QueueDepths.HubQueueNames())
            await SweepAsync(connection, queue + ErrorSuffix, ct);
        // One pass per interval: what a pass leaves is not settled yet.
        return 0;
    }

    private static ConnectionFactory ConnectionFactoryFor(RabbitMqSettings rabbit) => new()
    {
        HostName = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, UserName = rabbit.Username, Password = rabbit.Password,
        ClientProvidedName = "crm-hub-error-queue-sweep",
    };

    /// <summary>Removes from <paramref name="errorQueue"/> the copies of failed messages that are resolved or archived; returns how many.</summary>
    public async Task<int> SweepAsync(IConnection connection, string errorQueue, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // no such error queue: nothing ever failed there
        }
        if (waiting == 0)
            return 0;

        // Only what is in the queue now; messages arriving meanwhile wait for the next sweep.
        var limit = (ushort)Math.Min(waiting, 5000);
        await channel.BasicQosAsync(0, limit, false, ct);
        var deliveries = new List<(ulong Tag, Guid? MessageId)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            lock (deliveries)
            {
                deliveries.Add((delivery.DeliveryTag, Guid.TryParse(delivery.BasicProperties.MessageId, out var id) ? id : null));
                if (deliveries.Count >= limit)
                    all.TrySetResult();
            }
            return Task.CompletedTask;
        };
        var tag = await channel.BasicConsumeAsync(errorQueue, autoAck: false, consumer, ct);
        await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromSeconds(2), ct));
        await channel.BasicCancelAsync(tag, cancellationToken: ct);

        List<(ulong Tag, Guid? MessageId)> taken;
        lock (deliveries)
            taken = [.. deliveries];
        var ids = taken.Where(d => d.MessageId is not null).Select(d => d.MessageId!.Value).Distinct().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var statuses = await db.Set<FailedMessage>().AsNoTracking().Where(m => ids.Contains(m.MessageId))
            .Select(m => new { m.MessageId, m.Status }).ToListAsync(ct);
        // Settled only when every record of that message id is: a message that failed again after a retry is still open.
        var settled = statuses.GroupBy(s => s.MessageId)
            .Where(g => g.All(s => s.Status is FailedMessageStatus.Resolved or FailedMessageStatus.Archived)).Select(g => g.Key).ToHashSet();
        var removed = 0;
        foreach (var delivery in taken.Where(d => d.MessageId is { } id && settled.Contains(id)))
        {
            await channel.BasicAckAsync(delivery.Tag, multiple: false, ct);
            removed++;
        }
        await channel.CloseAsync(ct);
        if (removed > 0)
            logger.LogInformation("Removed {Count} settled copies from {Queue}", removed, errorQueue);
        return removed;
    }
}
