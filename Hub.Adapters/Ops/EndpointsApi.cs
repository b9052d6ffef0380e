using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Infrastructure;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Ops;

/// <summary>One endpoint instance as the operations view shows it.</summary>
public sealed record EndpointInstanceView(Guid InstanceId, string Endpoint, string Host, int ProcessId, bool Alive, DateTime Since,
    DateTime StartedAt, DateTime LastSeenAt, double IntervalSeconds, string[] Queues, JsonElement Health, EndpointMetricSample? Last);

/// <summary>Depth of one queue (RabbitMQ management API; unknown on the in-memory transport).</summary>
public sealed record QueueDepth(string Queue, long? Messages, long? Ready, long? Unacknowledged, int? Consumers);

/// <summary>Endpoint health: heartbeats, readiness checks, queue depths and the live metrics behind the charts.</summary>
public static class EndpointsApi
{
    /// <summary>Maps <c>/ops/api/endpoints</c> and <c>/ops/api/endpoints/metrics</c>.</summary>
    public static void MapEndpointsApi(this RouteGroupBuilder ops)
    {
        ops.MapGet("/endpoints", async (HubDbContext db, QueueDepths depths, CancellationToken ct) =>
        {
            var now = DateTime.UtcNow;
            var instances = await Instances(db, now, ct);
            var queues = await depths.Get(ct);
            return Results.Ok(new { transport = depths.Transport, instances, queues });
        });
        ops.MapGet("/endpoints/metrics", async (HubDbContext db, int? minutes, CancellationToken ct) =>
        {
            var since = DateTime.UtcNow.AddMinutes(-Math.Clamp(minutes ?? 15, 1, 24 * 60));
            var names = await db.Set<EndpointInstance>().AsNoTracking().ToDictionaryAsync(i => i.InstanceId, i => i.Endpoint, ct);
            var samples = await db.Set<EndpointMetricSample>().AsNoTracking().Where(s => s.At >= since).OrderBy(s => s.At).ToListAsync(ct);
            return Results.Ok(samples.GroupBy(s => names.GetValueOrDefault(s.InstanceId, "?")).Select(g => new
            {
                endpoint = g.Key,
                points = g.Select(s => new
                {
                    s.At, s.InstanceId, throughput = s.Processed / s.Seconds, s.Processed, s.Failed, s.Retried, s.MovedToError, s.ProcessingMs, s.CriticalMs,
                }),
            }));
        });
    }

    /// <summary>Every instance seen within the retention, newest first.</summary>
    internal static async Task<List<EndpointInstanceView>> Instances(HubDbContext db, DateTime now, CancellationToken ct)
    {
        var rows = await db.Set<EndpointInstance>().AsNoTracking().OrderByDescending(i => i.StartedAt).ToListAsync(ct);
        var ids = rows.Select(r => r.InstanceId).ToList();
        var recent = now.AddMinutes(-5);
        var last = (await db.Set<EndpointMetricSample>().AsNoTracking().Where(s => ids.Contains(s.InstanceId) && s.At >= recent).ToListAsync(ct))
            .GroupBy(s => s.InstanceId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.At)!);
        return rows.Select(r =>
        {
            var alive = r.IsAlive(now);
            return new EndpointInstanceView(r.InstanceId, r.Endpoint, r.Host, r.ProcessId, alive,
                alive ? r.StartedAt : r.StoppedAt ?? r.LastSeenAt, r.StartedAt, r.LastSeenAt, r.IntervalSeconds,
                r.Queues.Split(';', StringSplitOptions.RemoveEmptyEntries), JsonDocument.Parse(r.Health).RootElement, last.GetValueOrDefault(r.InstanceId));
        }).ToList();
    }
}

/// <summary>
/// Queue depths from RabbitMQ's management API (<c>Hub:RabbitMq:ManagementUrl</c>) in the distributed
/// mode. The in-memory transport has no such API: its queues are listed with unknown depth.
/// </summary>
public sealed class QueueDepths(HttpClient http, IOptions<HubOptions> options, ILogger<QueueDepths> logger)
{
    /// <summary><c>inmemory</c> or <c>rabbitmq</c>.</summary>
    public string Transport => options.Value.Transport;

    /// <summary>The hub's queues (and their error queues) with their depth when the broker tells it.</summary>
    public async Task<IReadOnlyList<QueueDepth>> Get(CancellationToken ct)
    {
        var known = HubQueueNames();
        if (Transport != "rabbitmq")
            return known.Select(q => new QueueDepth(q, null, null, null, null)).ToList();
        var rabbit = options.Value.RabbitMq;
        try
        {
            var url = $"{rabbit.ManagementUrl.TrimEnd('/')}/api/queues/{Uri.EscapeDataString(rabbit.VirtualHost)}?columns=name,messages,messages_ready,messages_unacknowledged,consumers";
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbit.Username}:{rabbit.Password}")));
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var queues = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            long? Long(JsonElement q, string name) => q.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            return queues.EnumerateArray()
                .Select(q => new QueueDepth(q.GetProperty("name").GetString()!, Long(q, "messages"), Long(q, "messages_ready"),
                    Long(q, "messages_unacknowledged"), (int?)Long(q, "consumers")))
                .Where(q => known.Contains(q.Queue) || known.Any(k => q.Queue.StartsWith(k + "_", StringComparison.Ordinal)))
                .OrderBy(q => q.Queue).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            logger.LogWarning(ex, "RabbitMQ management API at {Url} did not answer", rabbit.ManagementUrl);
            return known.Select(q => new QueueDepth(q, null, null, null, null)).ToList();
        }
    }

    /// <summary>Every queue name declared in <see cref="HubQueues"/>, plus the scheduler's.</summary>
    internal static HashSet<string> HubQueueNames() =>
        typeof(HubQueues).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)
            .Append(HubScheduler.EndpointName).ToHashSet();
}
