using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Embedded;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Ops;

/// <summary>
/// An embedded hub set up for operations scenarios: partner faults wait for operations instead of
/// compensating (<c>Orders:Lifecycle:CompensateOnPartnerFault=false</c>), short retries and redelivery so a
/// message reaches its error queue in seconds, one-second heartbeats, and the three test users.
/// </summary>
public sealed class OpsHub : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-ops-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedHub Hub { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string SimulatorsUrl { get; private set; } = "";
    /// <summary>The hub's SQLite file.</summary>
    public string DatabasePath => Path.Combine(_root, "hub.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Simulators:Urls=http://127.0.0.1:0",
            $"--Hub:SqlitePath={Path.Combine(_root, "hub.db")}",
            $"--Smtp:PickupDirectory={Path.Combine(_root, "mail")}",
            "--Hub:ImmediateRetries=1",
            "--Hub:RedeliveryIntervals:0=00:00:01",
            "--Hub:Heartbeat:Interval=00:00:01",
            "--Ops:Alerts:EvaluateInterval=00:00:01",
            "--Orders:Lifecycle:CompensateOnPartnerFault=false",
            "--Partners:Billing:Resilience:MaxRetries=1",
            // The breaker stays shut: a retry right after billing returns must reach billing, not a still-open circuit.
            "--Partners:Billing:Resilience:BreakerMinimumThroughput=100000",
            "--Logging:Format=simple",
            .. OpsTestUsers.Args,
            // Locked out by the lockout test; nobody else signs in as them.
            .. OpsTestUsers.User("ops-lockme", "reader"),
        ]);
        BaseUrl = EmbeddedHub.AddressOf(Hub.Hub);
        SimulatorsUrl = EmbeddedHub.AddressOf(Hub.Simulators!);
    }

    /// <summary>Takes billing down (every call 503) or brings it back.</summary>
    public async Task SetBillingDown(bool down)
    {
        using var sims = new HttpClient { BaseAddress = new Uri(SimulatorsUrl) };
        (await sims.PostAsJsonAsync("/sim/billing/behaviour", new { latencyMs = 0, failureRate = 0.0, down })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Places an order as the REST API does (a <see cref="PlaceOrder"/> to the order intake queue): the operations
    /// scenarios are about what happens after intake, so they do not depend on the mobile sign-in.
    /// </summary>
    public async Task<(Guid Id, string Number)> PlaceOrder(string customer = "C1001")
    {
        var id = Guid.NewGuid();
        var bus = Hub.Hub.Services.GetRequiredService<IBus>();
        var intake = await bus.GetSendEndpoint(HubQueues.Address(HubQueues.Orders));
        await intake.Send(new PlaceOrder(id, customer, "sales-ops-test", [new OrderLine("BB-100M", "FTTH", 2, 99.5m)], "buyer@example.com", "api",
            DateTimeOffset.UtcNow));
        return (id, Order.NumberFor(id));
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("ops")]
public sealed class OpsHubCollection : ICollectionFixture<OpsHub>;
