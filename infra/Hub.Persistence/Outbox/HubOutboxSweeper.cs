using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Persistence;

/// <summary>
/// Delivers outbox rows left behind (the consumer committed, then its process died before sending), every
/// <see cref="HubInboxOutboxOptions.SweepInterval"/>, for rows older than <see cref="HubInboxOutboxOptions.UndeliveredAge"/>.
/// Several instances may run: a row is claimed (lock id + expiry, set by one conditional UPDATE) before it is sent,
/// and deleted by its claimant after sending. Messages keep their id and headers, so downstream inboxes deduplicate.
/// </summary>
public sealed class HubOutboxSweeper(
    IServiceScopeFactory scopes, IBus bus, IOptions<HubInboxOutboxOptions> options, ILogger<HubOutboxSweeper> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    /// <summary>Claims and delivers one batch of left-over rows; returns how many were claimed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = DateTime.UtcNow;
        var cutoff = now - o.UndeliveredAge;
        var lockId = NewId.NextGuid();

        var candidates = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.CreatedAt <= cutoff && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.SequenceNumber)
            .Select(m => m.SequenceNumber)
            .Take(o.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
            return 0;
        await db.OutboxMessages
            .Where(m => candidates.Contains(m.SequenceNumber) && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockId, lockId).SetProperty(m => m.LockedUntil, now + o.ClaimDuration), cancellationToken);
        var claimed = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.LockId == lockId)
            .OrderBy(m => m.SequenceNumber)
            .ToListAsync(cancellationToken);

        var failedInboxes = new HashSet<(Guid?, Guid?)>();
        foreach (var row in claimed)
        {
            var inbox = (row.InboxMessageId, row.InboxConsumerId);
            if (failedInboxes.Contains(inbox))
                continue; // keep the order of one consumer's messages: retry the rest after the claim expires
            try
            {
                await StoredMessageSender.Send(bus, row, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failedInboxes.Add(inbox);
                logger.LogWarning(ex, "Outbox message {MessageId} to {Destination} could not be delivered; will retry", row.MessageId, row.DestinationAddress);
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.OutboxMessages.Where(m => m.SequenceNumber == row.SequenceNumber && m.LockId == lockId).ExecuteDeleteAsync(cancellationToken);
            if (row.InboxMessageId is { } messageId && row.InboxConsumerId is { } consumerId)
            {
                var delivered = DateTime.UtcNow;
                await db.InboxStates
                    .Where(s => s.MessageId == messageId && s.ConsumerId == consumerId && s.Delivered == null
                        && !db.OutboxMessages.Any(m => m.InboxMessageId == messageId && m.InboxConsumerId == consumerId))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Delivered, delivered).SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return claimed.Count;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.SweepInterval, SweepAsync, logger, "outbox sweep", stoppingToken);
}

/// <summary>
/// Every <see cref="HubInboxOutboxOptions.CleanupInterval"/>, deletes inbox rows whose message was consumed and
/// delivered longer ago than <see cref="HubInboxOutboxOptions.InboxRetention"/> (after that a redelivery is no longer detected).
/// </summary>
public sealed class HubInboxCleanupService(
    IServiceScopeFactory scopes, IOptions<HubInboxOutboxOptions> options, ILogger<HubInboxCleanupService> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    /// <summary>Deletes expired inbox rows once; returns how many.</summary>
    public async Task<int> CleanupAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var cutoff = DateTime.UtcNow - options.Value.InboxRetention;
        var count = await db.InboxStates.Where(s => s.Delivered != null && s.Delivered < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (count > 0)
            logger.LogInformation("Removed {Count} inbox rows delivered before {Cutoff:o}", count, cutoff);
        return count;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.CleanupInterval, async ct =>
        {
            await CleanupAsync(ct);
            return 0;
        }, logger, "inbox cleanup", stoppingToken, runAtStart: false);
}
