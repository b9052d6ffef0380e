using System.Text.Json;
using Crm.Contracts.Customers;
using Crm.Contracts.Dealers;
using Crm.Contracts.Orders;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Endpoints;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Tests.Ops;
using Hub.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hub.Tests.Dealers;

/// <summary>The dealers capability on the Endpoints host itself: its records, the contract's approval history, targets and ledger survive a restart on both stores.</summary>
public sealed class DealerStoreTests
{
    public static TheoryData<string> Stores() => AuditBulkInsertTests.Stores();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Dealer_records_contract_history_targets_and_ledger_read_back_the_same_after_a_restart(string store)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-dealers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var database = "hubdealers_" + Guid.NewGuid().ToString("N")[..12];
        string[] settings = store == "postgres"
            ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={await AuditBulkInsertTests.CreatePostgres(database)}"]
            : [$"--Hub:SqlitePath={Path.Combine(root, "hub.db")}"];
        string[] args = ["--urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning", .. settings];
        var dealerId = Guid.NewGuid();
        var code = DealerEndpointTests.Code();
        try
        {
            string before;
            await using (var app = HubApp.Build(args, "http://127.0.0.1:0", [new EndpointsModule()]))
            {
                await app.StartAsync();
                var clients = app.Services.GetRequiredService<IClientFactory>();
                var customers = await clients.CreateRequestClient<RegisterCustomer>(HubQueues.Address(HubQueues.Customers))
                    .GetResponse<CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(Guid.NewGuid(), dealerId,
                        new CustomerProfileData(code, "荆州联合专用车经销部", "Dealer", Region: "central"), "sales-li", null, "sales-li"));
                Assert.True(customers.Is(out Response<CustomerCommandAccepted>? _));
                await Ask(clients, new RecordInspectionVisit(Guid.NewGuid(), Guid.NewGuid(), dealerId, new DateOnly(2026, 3, 12),
                    [new InspectionCriterionScore("qualification", 0.5m, 88.5m), new InspectionCriterionScore("premises", 0.5m, 71m)], "Two sites", "sales-li"));
                await Ask(clients, new RecordNegotiation(Guid.NewGuid(), Guid.NewGuid(), dealerId, new DateOnly(2026, 3, 20), "王总",
                    [new NegotiatedTermData("territory", "Jingzhou")], "Agreed", "sales-li"));
                var contract = Guid.NewGuid();
                var v = await Ask(clients, new DraftAgencyContract(Guid.NewGuid(), contract, dealerId, "Jingzhou", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31),
                    "Exclusive", null, "sales-li"));
                v = await Ask(clients, new SubmitAgencyContract(Guid.NewGuid(), contract, ["mgr-chen"], v, "sales-li"));
                await Ask(clients, new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "central", v, "mgr-chen"));
                var levels = new DealerTargetLevels(10, 100_000.50m, 80_000m);
                await Ask(clients, new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealerId, 2026, 4, levels, levels, levels with { Units = 12 }, null, "mgr-chen"));

                var order = Guid.NewGuid();
                await (await app.Services.GetRequiredService<IBus>().GetSendEndpoint(HubQueues.Address(HubQueues.Orders)))
                    .Send(new PlaceOrder(order, code, "sales-li", [new OrderLine("TL-2000", null, 4, 1_000.25m)], null, "mobile", DateTimeOffset.UtcNow));
                var number = await Eventually.Get(() => Read(app, db => db.Set<Crm.Domain.Orders.Order>().Where(o => o.Id == order).Select(o => o.Number).FirstOrDefaultAsync()),
                    n => n is not null, TimeSpan.FromSeconds(20), "the stored order");
                await app.Services.GetRequiredService<IBus>().Publish(new OrderCompleted(order, number!, code, "sales-li", "SO-9", "CH-9", 4_001m, null, DateTimeOffset.UtcNow));
                before = await Eventually.Get(() => Snapshot(app, dealerId), s => s.Contains("\"Units\":4", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the ledger entry");
                await app.StopAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            LogContext.ConfigureCurrentLogContext(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

            await using (var app = HubApp.Build(args, "http://127.0.0.1:0", [new EndpointsModule()]))
            {
                await app.StartAsync();
                var after = await Snapshot(app, dealerId);
                Assert.Equal(before, after);
                Assert.Contains("\"Step\":\"Approved\"", after);
                Assert.Contains("100000.5", after);
                await app.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            LogContext.ConfigureCurrentLogContext(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            if (store == "postgres")
                await AuditBulkInsertTests.Admin($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<long> Ask<T>(IClientFactory clients, T command) where T : class
    {
        var response = await clients.CreateRequestClient<T>(HubQueues.Address(HubQueues.Dealers)).GetResponse<DealerCommandAccepted, DealerCommandRejected>(command);
        Assert.True(response.Is(out Response<DealerCommandAccepted>? accepted), $"{typeof(T).Name} refused: {JsonSerializer.Serialize(response.Message)}");
        return accepted!.Message.Version;
    }

    private static async Task<T> Read<T>(WebApplication app, Func<HubDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>Everything stored about the dealer, as JSON (instants as UTC, steps' times to the second: PostgreSQL keeps microseconds).</summary>
    private static Task<string> Snapshot(WebApplication app, Guid dealerId) => Read(app, async db =>
    {
        var contracts = await db.Set<AgencyContract>().AsNoTracking().Where(c => c.DealerId == dealerId).ToListAsync();
        var ids = contracts.Select(c => c.Id).ToArray();
        return JsonSerializer.Serialize(new
        {
            Visits = (await db.Set<InspectionVisit>().AsNoTracking().Where(v => v.DealerId == dealerId).ToListAsync())
                .Select(v => new { v.Id, v.VisitedOn, v.InspectorId, v.Notes, v.WeightedTotal, v.Scores }),
            Negotiations = (await db.Set<NegotiationRecord>().AsNoTracking().Where(n => n.DealerId == dealerId).ToListAsync())
                .Select(n => new { n.Id, n.HeldOn, n.Participants, n.Outcome, n.Terms }),
            Contracts = contracts.Select(c => new { c.Id, c.Number, c.Status, c.Territory, c.Terms, c.SubmittedBy, c.ApproverId, Submitted = c.SubmittedAt?.UtcTicks / TimeSpan.TicksPerSecond }),
            Steps = (await db.Set<AgencyContractStep>().AsNoTracking().Where(s => ids.Contains(s.ContractId)).OrderBy(s => s.Sequence).ToListAsync())
                .Select(s => new { s.Sequence, s.Step, s.FromStatus, s.ToStatus, s.Actor, s.CommandId, At = s.At.Ticks / TimeSpan.TicksPerSecond }),
            Targets = (await db.Set<DealerTarget>().AsNoTracking().Where(t => t.DealerId == dealerId).ToListAsync())
                .Select(t => new { t.Id, t.Year, t.Month, t.Tier1, t.Tier2, t.Tier3, t.AgreedBy }),
            Ledger = (await db.Set<DealerAchievementEntry>().AsNoTracking().Where(e => e.DealerId == dealerId).ToListAsync())
                .Select(e => new { e.Id, e.Source, e.On, e.Units, SalesAmount = e.SalesAmount.ToString("0.00"), e.Reference }),
        });
    });
}
