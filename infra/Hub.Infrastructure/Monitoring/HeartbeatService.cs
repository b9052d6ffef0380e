using Hub.Infrastructure.Audit;
using System.Diagnostics;
using System.Text.Json;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Monitoring;

/// <summary>
/// Writes this process's heartbeat (a row in <c>endpoint_instance</c>) and its metrics of the last
/// interval every <see cref="HeartbeatSettings.Interval"/>. A table rather than a bus event: it works the
/// same on both transports and needs no consumer to be alive to be seen dead.
/// </summary>
internal sealed class HeartbeatService(IServiceScopeFactory scopes, EndpointMetrics metrics, PartnerCircuits circuits, HeartbeatSettings settings,
    string endpoint, ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly Guid _instanceId = Guid.NewGuid();
    private readonly DateTime _startedAt = DateTime.UtcNow;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = DateTime.UtcNow;
        return BackgroundLoop.Run(null, settings.Interval, async ct =>
        {
            var now = DateTime.UtcNow;
            await Beat(now, now - last, ct);
            last = now;
            return 0;
        }, logger, $"heartbeat of {endpoint}", stoppingToken);
    }


    private async Task Beat(DateTime now, TimeSpan elapsed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var health = scope.ServiceProvider.GetService<HealthCheckService>() is { } checks
            ? await checks.CheckHealthAsync(c => c.Tags.Contains("ready"), ct)
            : null;
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var row = await db.Set<EndpointInstance>().FindAsync([_instanceId], ct);
        if (row is null)
        {
            row = new EndpointInstance
            {
                InstanceId = _instanceId,
                Endpoint = endpoint,
                Host = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                StartedAt = _startedAt,
            };
            db.Add(row);
        }
        row.Queues = string.Join(";", metrics.Queues);
        row.LastSeenAt = now;
        row.IntervalSeconds = settings.Interval.TotalSeconds;
        var entries = health?.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()) ?? [];
        foreach (var circuit in circuits.Snapshot())
            entries[PartnerCircuits.HealthPrefix + circuit.Partner] = circuit.State;
        row.Health = JsonSerializer.Serialize(entries);
        var m = metrics.TakeSnapshot();
        db.Add(new EndpointMetricSample
        {
            InstanceId = _instanceId, At = now, Seconds = Math.Max(0.001, elapsed.TotalSeconds), Processed = m.Processed, Failed = m.Failed,
            Retried = m.Retried, MovedToError = m.MovedToError, ProcessingMs = m.ProcessingMs, CriticalMs = m.CriticalMs,
        });
        await db.SaveChangesAsync(ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A clean shutdown says so at once; a killed process is found out by its silence.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var stoppedAt = DateTime.UtcNow;
            await db.Set<EndpointInstance>().Where(i => i.InstanceId == _instanceId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.StoppedAt, stoppedAt), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the stop of {Endpoint}", endpoint);
        }
    }
}

/// <summary>Marks failed messages resolved when their retry was processed successfully.</summary>
internal sealed class RetryOutcomeRecorder(IServiceScopeFactory scopes, EndpointMetrics metrics, ILogger<RetryOutcomeRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ids whose outcome is not yet written: kept across a failed write (a busy store), so no outcome is lost.
        var ids = new HashSet<long>();
        try
        {
            while (ids.Count > 0 || await metrics.RetriesSucceeded.WaitToReadAsync(stoppingToken))
            {
                while (metrics.RetriesSucceeded.TryRead(out var id))
                    ids.Add(id);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                    var now = DateTime.UtcNow;
                    await db.Set<FailedMessage>().Where(m => ids.Contains(m.Id) && m.Status == FailedMessageStatus.Retrying)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, FailedMessageStatus.Resolved).SetProperty(m => m.ResolvedAt, now), stoppingToken);
                    ids.Clear();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not record the outcome of retried messages {Ids} yet; trying again", ids);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Purges audit records, metrics and settled failed messages older than <see cref="AuditSettings.Retention"/>.</summary>
public sealed class MonitoringRetention(IServiceScopeFactory scopes, HubModuleStore store, AuditSettings settings, ILogger<MonitoringRetention> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(null, settings.PurgeInterval, async ct =>
        {
            var purged = await Purge(DateTime.UtcNow - settings.Retention, ct);
            if (purged > 0)
                logger.LogInformation("Purged {Count} audit and monitoring records older than {Retention}", purged, settings.Retention);
            return 0;
        }, logger, "purge of old audit records", stoppingToken);

    /// <summary>Purges what is older than the retention now (operations' admin action).</summary>
    public Task<int> PurgeNow(CancellationToken ct) => Purge(DateTime.UtcNow - settings.Retention, ct);

    /// <summary>Deletes what is older than <paramref name="cutoff"/>; unresolved and retrying failures stay until operations acts.</summary>
    internal async Task<int> Purge(DateTime cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        int n;
        await using (var audit = store.OpenAudit())
            n = await audit.Set<Audit.AuditedMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(ct);
        n += await db.Set<EndpointMetricSample>().Where(s => s.At < cutoff).ExecuteDeleteAsync(ct);
        n += await db.Set<EndpointInstance>().Where(i => i.LastSeenAt < cutoff).ExecuteDeleteAsync(ct);
        n += await db.Set<FailedMessage>()
            .Where(m => (m.Status == FailedMessageStatus.Resolved || m.Status == FailedMessageStatus.Archived) && m.LastFailedAt < cutoff)
            .ExecuteDeleteAsync(ct);
        return n;
    }
}
