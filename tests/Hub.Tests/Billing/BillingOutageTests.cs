using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters;
using Hub.Adapters.Billing;
using Hub.Embedded;
using Hub.TestSupport;

namespace Hub.Tests.Billing;

/// <summary>Billing down for a while, then back: nothing is lost and nothing is charged twice.</summary>
[Collection("embedded")]
public sealed class BillingOutageTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-outage-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedHub _hub = null!;
    private string _baseUrl = "";
    private string _simulatorsUrl = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", "--Logging:Format=simple",
            $"--Hub:SqlitePath={Path.Combine(_root, "hub.db")}", $"--Smtp:PickupDirectory={Path.Combine(_root, "mail")}",
            // Redelivery every 2 s for a minute outlasts the outage below even on a loaded machine; the deadline is far beyond it.
            .. Enumerable.Range(0, 30).Select(i => $"--Hub:RedeliveryIntervals:{i}=00:00:02"),
            "--Hub:ImmediateRetries=1",
            "--Orders:Lifecycle:FulfilmentDeadline=00:05:00",
            // A breaker that opens after a few failures, so the outage is not hammered.
            "--Partners:Billing:Resilience:MaxRetries=1", "--Partners:Billing:Resilience:RetryDelay=00:00:00.050",
            "--Partners:Billing:Resilience:BreakerMinimumThroughput=2", "--Partners:Billing:Resilience:BreakDuration=00:00:01",
        ]);
        _baseUrl = EmbeddedHub.AddressOf(_hub.Hub);
        _simulatorsUrl = EmbeddedHub.AddressOf(_hub.Simulators!);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Orders_placed_while_billing_is_down_all_complete_when_it_returns_each_charged_exactly_once()
    {
        using var sims = new HttpClient { BaseAddress = new Uri(_simulatorsUrl) };
        Assert.Equal(HttpStatusCode.OK, (await sims.PostAsJsonAsync("/sim/billing/behaviour", new { down = true })).StatusCode);
        using var phone = await EmbeddedHubFixture.SignInAsync(_hub, _baseUrl, "sales-outage");
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
            Assert.Equal(HttpStatusCode.Accepted, (await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId))).StatusCode);

        // While billing is down the orders wait in Fulfilling: none completes, none fails.
        await Eventually.Get(() => Task.WhenAll(ids.Select(id => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"))),
            orders => orders.All(o => o.GetProperty("status").GetString() == "Fulfilling"), TimeSpan.FromSeconds(20), "all fulfilling");
        await Task.Delay(TimeSpan.FromSeconds(5)); // the outage itself: long enough for several redeliveries to hit the open circuit
        var during = await Task.WhenAll(ids.Select(id => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}")));
        Assert.All(during, o => Assert.Equal("Fulfilling", o.GetProperty("status").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await sims.PostAsJsonAsync("/sim/billing/behaviour", new { down = false })).StatusCode);
        await Eventually.Get(() => Task.WhenAll(ids.Select(id => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"))),
            orders => orders.All(o => o.GetProperty("status").GetString() == "Closed"), TimeSpan.FromSeconds(60), "all completed and closed after the outage");

        var charges = (await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "charge" && ids.Contains(r.GetProperty("orderId").GetGuid())).ToArray();
        Assert.Equal(ids.Length, charges.Length);
        Assert.All(charges, c => Assert.Equal(1, c.GetProperty("effects").GetInt32()));
        Assert.DoesNotContain((await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray(),
            r => r.GetProperty("kind").GetString() == "reversal" && ids.Contains(r.GetProperty("orderId").GetGuid()));
    }

    [Fact]
    public async Task Typed_client_opens_accounts_once_reads_balances_and_does_not_retry_a_refusal()
    {
        var options = new PartnerResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };
        using var http = new HttpClient(new PartnerResilienceHandler(options, "billing-test") { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(_simulatorsUrl + "/billing/"),
        };
        var billing = new BillingApiClient(http);
        var customer = "C" + Random.Shared.Next(100000, 999999);
        var key = "account-" + customer;
        var first = await billing.CreateAccount(new CreateAccountRequest(customer, "Shanghai Telecom Branch", "CNY"), key, CancellationToken.None);
        var again = await billing.CreateAccount(new CreateAccountRequest(customer, "Shanghai Telecom Branch", "CNY"), key, CancellationToken.None);
        Assert.Equal(first.AccountId, again.AccountId);

        var orderId = Guid.NewGuid();
        await billing.CreateCharge(new CreateChargeRequest(orderId, "SO1", customer, 120.5m, "CNY"), IdempotencyKeys.ChargeOf(orderId), CancellationToken.None);
        var balance = await billing.GetBalance(customer, CancellationToken.None);
        Assert.Equal(120.5m, balance!.Outstanding);
        Assert.Null(await billing.GetBalance("NO-SUCH-" + customer, CancellationToken.None));

        var refusedOrder = Guid.NewGuid();
        var refused = await Assert.ThrowsAsync<BillingRefusedException>(() => billing.CreateCharge(
            new CreateChargeRequest(refusedOrder, "SO2", "NOFUNDS-" + customer, 10m, "CNY"), IdempotencyKeys.ChargeOf(refusedOrder), CancellationToken.None));
        Assert.Equal(422, refused.Status);
        using var sims = new HttpClient { BaseAddress = new Uri(_simulatorsUrl) };
        var record = (await sims.GetFromJsonAsync<JsonElement>("/sim/billing/received")).EnumerateArray()
            .Single(r => r.GetProperty("orderId").GetGuid() == refusedOrder);
        Assert.Equal(1, record.GetProperty("calls").GetInt32());
    }
}
