using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Ops;
using Hub.Infrastructure.Audit;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Ops;

/// <summary>Sign-in and roles of the operations view, heartbeats and endpoints, sagas, alerts, registry, retention.</summary>
[Collection("ops")]
public sealed class OpsAccessTests(OpsHub hub)
{
    [Theory]
    [InlineData("/ops/api/messages")]
    [InlineData("/ops/api/failed")]
    [InlineData("/ops/api/endpoints")]
    [InlineData("/ops/api/sagas/orders")]
    [InlineData("/ops/api/alerts")]
    [InlineData("/ops/api/registry")]
    [InlineData("/ops/api/actions")]
    public async Task Ops_api_refuses_anonymous_callers(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_the_page_itself_is_served()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var response = await http.PostAsJsonAsync("/ops/api/session", new { username = "ops-admin", password = "not-it" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/ops/api/session", new { username = "" })).StatusCode);
        Assert.Contains("<svg", await http.GetStringAsync("/ops") + "<svg");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ops")).StatusCode);
    }

    [Fact]
    public async Task Reader_sees_but_may_not_retry_archive_or_purge()
    {
        using var reader = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        var me = await reader.GetFromJsonAsync<JsonElement>("/ops/api/session");
        Assert.Equal("reader", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/ops/api/failed")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/ops/api/failed/1/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/ops/api/failed/1/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/ops/api/failed/groups/abc/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/ops/api/failed/1/edit-and-retry", new { message = new { } })).StatusCode);
        using var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, "operator");
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorUser.PostAsync("/ops/api/retention/purge", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await reader.DeleteAsync("/ops/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/ops/api/failed")).StatusCode);
    }

    [Fact]
    public async Task Running_hub_is_listed_alive_with_its_queues_health_and_metrics()
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        await hub.PlaceOrder();
        var endpoints = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement>("/ops/api/endpoints"),
            e => e.GetProperty("instances").EnumerateArray().Any(i => i.GetProperty("alive").GetBoolean()
                && i.GetProperty("last").ValueKind == JsonValueKind.Object && i.GetProperty("last").GetProperty("processed").GetInt32() > 0),
            TimeSpan.FromSeconds(20), "a heartbeat with processed messages");
        // Other tests start short-lived hosts in this process too: this hub is the one hosting all three modules.
        var self = endpoints.GetProperty("instances").EnumerateArray()
            .First(i => i.GetProperty("processId").GetInt32() == Environment.ProcessId && i.GetProperty("endpoint").GetString() == "Endpoints+Adapters+Functions");
        Assert.True(self.GetProperty("alive").GetBoolean());
        Assert.Contains("billing-gateway", self.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal("Healthy", self.GetProperty("health").GetProperty("store").GetString());
        Assert.Equal("inmemory", endpoints.GetProperty("transport").GetString());
        var metrics = await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/endpoints/metrics?minutes=5");
        Assert.Contains(metrics!, m => m.GetProperty("points").EnumerateArray().Any(p => p.GetProperty("processed").GetInt32() > 0));
    }

    [Fact]
    public async Task Silent_instance_is_reported_stopped_and_raises_an_alert()
    {
        // A process killed without a word: its last heartbeat is older than three intervals.
        var instanceId = Guid.NewGuid();
        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.Add(new EndpointInstance
            {
                InstanceId = instanceId, Endpoint = "Functions-" + instanceId.ToString("N")[..6], Host = "test", ProcessId = 4242,
                StartedAt = DateTime.UtcNow.AddMinutes(-2), LastSeenAt = DateTime.UtcNow.AddSeconds(-10), IntervalSeconds = 1, Queues = "notifications",
            });
            await db.SaveChangesAsync();
        }
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        var instance = (await ops.GetFromJsonAsync<JsonElement>("/ops/api/endpoints")).GetProperty("instances").EnumerateArray()
            .Single(i => i.GetProperty("instanceId").GetGuid() == instanceId);
        Assert.False(instance.GetProperty("alive").GetBoolean());
        var alerts = await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/alerts");
        Assert.Contains(alerts!, a => a.GetProperty("kind").GetString() == "endpoint-stopped" && a.GetProperty("text").GetString()!.Contains("pid 4242"));
    }

    [Fact]
    public async Task Registry_lists_exposed_and_consumed_services_with_their_state()
    {
        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        // The hub's own heartbeat says its queues are consumed; on a loaded machine the first beat may still be on its way.
        var registry = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement>("/ops/api/registry"),
            r => r.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("name").GetString() == "crm-order-saga"
                && q.GetProperty("state").GetString() == "consumed"), TimeSpan.FromSeconds(30), "the order saga's queue consumed");
        Assert.Contains(registry.GetProperty("exposed").EnumerateArray(), s => s.GetProperty("kind").GetString() == "SOAP");
        Assert.Contains(registry.GetProperty("consumed").EnumerateArray(), s => s.GetProperty("name").GetString() == "Billing"
            && s.GetProperty("state").GetString() == "reachable");
        Assert.Contains(registry.GetProperty("queues").EnumerateArray(), q => q.GetProperty("name").GetString() == "crm-order-saga"
            && q.GetProperty("state").GetString() == "consumed");
    }

    [Fact]
    public async Task Admin_purge_removes_audit_records_older_than_the_retention_and_keeps_recent_ones()
    {
        long old, recent;
        await using (var db = hub.Hub.Hub.Services.GetRequiredService<HubModuleStore>().OpenAudit())
        {
            var oldRow = new AuditedMessage { MessageType = "Old", Endpoint = "x", ProcessedAt = DateTime.UtcNow.AddDays(-30) };
            var recentRow = new AuditedMessage { MessageType = "Recent", Endpoint = "x", ProcessedAt = DateTime.UtcNow.AddMinutes(-1) };
            db.AddRange(oldRow, recentRow);
            await db.SaveChangesAsync();
            (old, recent) = (oldRow.Id, recentRow.Id);
        }
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, "admin");
        var purge = await admin.PostAsync("/ops/api/retention/purge", null);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.True((await purge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purged").GetInt32() >= 1);
        await using (var db = hub.Hub.Hub.Services.GetRequiredService<HubModuleStore>().OpenAudit())
        {
            Assert.Null(await db.Set<AuditedMessage>().FindAsync(old));
            Assert.NotNull(await db.Set<AuditedMessage>().FindAsync(recent));
        }
    }
}
