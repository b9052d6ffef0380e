using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Billing;
using Hub.Infrastructure.Access;
using Hub.Infrastructure.Monitoring;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;

namespace Hub.Tests.Ops;

/// <summary>Partner circuits seen by operations, and alerts sent to the on-call staff when they begin and when they end.</summary>
[Collection("ops")]
public sealed class OnCallAlertTests(OpsHub hub)
{
    [Fact]
    public async Task Billing_pipeline_reports_its_circuit_opening_and_closing()
    {
        var circuits = new PartnerCircuits(TimeProvider.System, NullLogger<PartnerCircuits>.Instance);
        var options = new PartnerResilienceOptions
        {
            MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(1), BreakerMinimumThroughput = 2, BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromMilliseconds(500),
        };
        using var http = new HttpClient(new PartnerResilienceHandler(options, "billing-circuit-test", circuits) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(hub.SimulatorsUrl + "/billing/"),
        };
        Assert.Equal(PartnerCircuits.Closed, circuits.Snapshot().Single().State);

        await hub.SetBillingDown(true);
        try
        {
            await Eventually.Get(async () =>
            {
                try { (await http.GetAsync("api/v1/accounts/C1/balance")).Dispose(); } catch (BrokenCircuitException) { }
                return circuits.Snapshot().Single();
            }, c => c.State == PartnerCircuits.Open, TimeSpan.FromSeconds(10), "the circuit opened");
            Assert.Contains("503", circuits.Snapshot().Single().Reason);
        }
        finally
        {
            await hub.SetBillingDown(false);
        }
        await Eventually.Get(async () =>
        {
            try { (await http.GetAsync("api/v1/accounts/C1/balance")).Dispose(); } catch (BrokenCircuitException) { }
            return circuits.Snapshot().Single();
        }, c => c.State == PartnerCircuits.Closed, TimeSpan.FromSeconds(10), "the circuit closed after billing came back");
    }

    [Fact]
    public async Task An_open_partner_circuit_is_an_alert_and_the_on_call_staff_hear_when_it_begins_and_ends()
    {
        var onCall = "user:oncall-" + Guid.NewGuid().ToString("N")[..8];
        using var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator);
        (await operatorUser.PutAsJsonAsync($"/api/notifications/recipients/{onCall}",
            new { name = "值班 王", email = "oncall@example.com", language = "zh", tags = new[] { "on-call" } })).EnsureSuccessStatusCode();

        // The breaker's own callbacks report here (see the test above); this stands for the billing breaker tripping.
        var circuits = hub.Hub.Hub.Services.GetRequiredService<PartnerCircuits>();
        var partner = "billing-" + Guid.NewGuid().ToString("N")[..6];
        circuits.Report(partner, PartnerCircuits.Open, "503 Service Unavailable");
        try
        {
            var alerts = await Eventually.Get(() => operatorUser.GetFromJsonAsync<JsonElement[]>("/ops/api/alerts")!,
                list => list!.Any(a => a.GetProperty("kind").GetString() == "partner-circuit-open" && a.GetProperty("subject").GetString() == partner),
                TimeSpan.FromSeconds(20), "the circuit alert listed");
            Assert.Contains(alerts!, a => a.GetProperty("text").GetString()!.StartsWith($"circuit to {partner} open in Endpoints+Adapters+Functions"));

            var raised = await Eventually.Get(() => Notifications(operatorUser, onCall, "ops-alert"),
                list => list.Any(n => n.GetProperty("body").GetString()!.Contains(partner) && n.GetProperty("state").GetString() == "sent"),
                TimeSpan.FromSeconds(30), "the on-call person emailed");
            Assert.Contains("外部系统熔断", raised.First(n => n.GetProperty("body").GetString()!.Contains(partner)).GetProperty("title").GetString());
        }
        finally
        {
            circuits.Report(partner, PartnerCircuits.Closed);
        }
        await Eventually.Get(() => Notifications(operatorUser, onCall, "ops-alert-cleared"),
            list => list.Any(n => n.GetProperty("title").GetString()!.Contains(partner)), TimeSpan.FromSeconds(30), "the on-call person told it cleared");
        var again = await operatorUser.GetFromJsonAsync<JsonElement[]>("/ops/api/alerts");
        Assert.DoesNotContain(again!, a => a.GetProperty("subject").GetString() == partner);
        // Raised once however many rounds saw it.
        Assert.Single(await Notifications(operatorUser, onCall, "ops-alert"), n => n.GetProperty("body").GetString()!.Contains(partner));
    }

    private static async Task<List<JsonElement>> Notifications(HttpClient ops, string recipientKey, string template) =>
        (await ops.GetFromJsonAsync<JsonElement[]>($"/api/notifications?recipientKey={Uri.EscapeDataString(recipientKey)}&limit=200"))!
        .Where(n => n.GetProperty("template").GetString() == template).ToList();
}
