using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>Thresholds of the operations alerts (section <c>Ops:Alerts</c>).</summary>
public sealed class OpsAlertOptions
{
    /// <summary>A queue holding more messages than this raises an alert.</summary>
    public long QueueDepthThreshold { get; set; } = 1000;

    /// <summary>This many messages reaching error queues within <see cref="FailureWindow"/> raises an alert.</summary>
    public int FailedMessagesThreshold { get; set; } = 1;

    /// <summary>The window failed messages are counted in.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the alerts are evaluated for the on-call staff (each alert is raised once, and cleared once).</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the broker's error queues are cleared of copies whose failed message was resolved or archived (RabbitMQ only).</summary>
    public TimeSpan ErrorQueueSweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>One alert: what is wrong, since when.</summary>
public sealed record OpsAlert(string Kind, string Subject, string Text, DateTime Since);

/// <summary>Alerts (endpoint stopped, queue growing, failed messages rising) and the service registry (003 §4.3.3).</summary>
public static class AlertsApi
{
    /// <summary>Maps <c>/ops/api/alerts</c> and <c>/ops/api/registry</c>.</summary>
    public static void MapAlertsApi(this RouteGroupBuilder ops)
    {
        ops.MapGet("/alerts", async (HubDbContext db, QueueDepths depths, Microsoft.Extensions.Options.IOptions<OpsAlertOptions> options, CancellationToken ct) =>
            Results.Ok(await Evaluate(db, depths, options.Value, DateTime.UtcNow, ct)));
        ops.MapGet("/registry", ServiceRegistry.Describe);
    }

    /// <summary>The alerts that hold now.</summary>
    internal static async Task<List<OpsAlert>> Evaluate(HubDbContext db, QueueDepths depths, OpsAlertOptions options, DateTime now, CancellationToken ct)
    {
        var alerts = new List<OpsAlert>();
        var instances = await EndpointsApi.Instances(db, now, ct);
        // An endpoint is down when none of its instances is alive (a restarted process replaces its predecessor).
        foreach (var endpoint in instances.GroupBy(i => i.Endpoint))
            if (!endpoint.Any(i => i.Alive))
            {
                var last = endpoint.MaxBy(i => i.LastSeenAt)!;
                alerts.Add(new("endpoint-stopped", endpoint.Key, $"{endpoint.Key} on {last.Host} (pid {last.ProcessId}) stopped", last.Since));
            }
        // A partner's circuit, as the live instances' heartbeats report it (each instance has its own breaker).
        var openCircuits = instances.Where(i => i.Alive && i.Health.ValueKind == System.Text.Json.JsonValueKind.Object)
            .SelectMany(i => i.Health.EnumerateObject()
                .Where(h => h.Name.StartsWith(PartnerCircuits.HealthPrefix, StringComparison.Ordinal) && h.Value.GetString() == PartnerCircuits.Open)
                .Select(h => (Partner: h.Name[PartnerCircuits.HealthPrefix.Length..], Instance: i)));
        foreach (var partner in openCircuits.GroupBy(c => c.Partner))
            alerts.Add(new("partner-circuit-open", partner.Key,
                $"circuit to {partner.Key} open in {string.Join(", ", partner.Select(c => $"{c.Instance.Endpoint} on {c.Instance.Host} (pid {c.Instance.ProcessId})"))}",
                partner.Min(c => c.Instance.LastSeenAt)));
        foreach (var queue in await depths.Get(ct))
            if (queue.Messages > options.QueueDepthThreshold)
                alerts.Add(new("queue-growing", queue.Queue, $"{queue.Queue} holds {queue.Messages} messages (threshold {options.QueueDepthThreshold})", now));
        var since = now - options.FailureWindow;
        var failed = await db.Set<FailedMessage>().AsNoTracking()
            .Where(m => m.LastFailedAt >= since && m.Status == FailedMessageStatus.Unresolved)
            .Select(m => m.LastFailedAt).ToListAsync(ct);
        if (failed.Count >= options.FailedMessagesThreshold)
            alerts.Add(new("failed-messages", "error queues", $"{failed.Count} messages failed in the last {options.FailureWindow.TotalMinutes:0} minutes", failed.Min()));
        return alerts;
    }
}

/// <summary>The services the hub exposes and consumes, with address, contract version and current state.</summary>
internal static class ServiceRegistry
{
    public static async Task<IResult> Describe(HttpContext http, IConfiguration config, HubDbContext db, IHttpClientFactory clients, CancellationToken ct)
    {
        var self = $"{http.Request.Scheme}://{http.Request.Host}";
        var instances = await EndpointsApi.Instances(db, DateTime.UtcNow, ct);
        bool Served(string queue) => instances.Any(i => i.Alive && i.Queues.Contains(queue));
        var exposed = new object[]
        {
            new { name = "Orders REST API", kind = "REST", address = $"{self}/api/v1/orders", contract = "v1", state = "serving" },
            new { name = "Push stream", kind = "SSE", address = $"{self}/api/push/stream", contract = "v1", state = "serving" },
            new { name = "ERP hub service", kind = "SOAP", address = $"{self}/soap/erp", contract = "ErpHub (WSDL at ?wsdl)", state = "serving" },
            new { name = "Operations view", kind = "HTTP", address = $"{self}/ops", contract = "v1", state = "serving" },
        };
        var queues = QueueDepths.HubQueueNames().Order()
            .Select(q => new { name = q, kind = "queue", address = $"queue:{q}", contract = "Crm.Contracts", state = Served(q) ? "consumed" : "no live consumer" });
        var consumed = new List<object>();
        foreach (var (name, kind, url) in new[]
        {
            ("Billing", "REST", config["Partners:Billing:BaseUrl"] ?? "http://localhost:5070/billing"),
            ("ERP sales", "SOAP", config["Partners:Erp:BaseUrl"] ?? "http://localhost:5070/erp/sales"),
        })
            consumed.Add(new { name, kind, address = url, contract = kind == "SOAP" ? "ErpSales (WSDL)" : "v1", state = await Probe(clients, url, ct) });
        consumed.Add(new { name = "SMTP", kind = "SMTP", address = config["Smtp:Host"] is { Length: > 0 } h ? $"smtp://{h}:{config["Smtp:Port"] ?? "25"}" : "pickup directory", contract = "RFC 5321", state = "configured" });
        return Results.Ok(new { exposed, queues, consumed });
    }

    /// <summary>Any HTTP answer means reachable; only no answer at all is down.</summary>
    private static async Task<string> Probe(IHttpClientFactory clients, string url, CancellationToken ct)
    {
        try
        {
            using var http = clients.CreateClient("ops-probe");
            http.Timeout = TimeSpan.FromSeconds(2);
            using var response = await http.GetAsync(url, ct);
            return "reachable";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            return "unreachable";
        }
    }
}
