using Crm.Contracts.ServiceTickets;
using Hub.Endpoints;
using Hub.Endpoints.ServiceTickets;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Tests.Ops;
using Hub.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hub.Tests.ServiceTickets;

/// <summary>
/// Service tickets on the Endpoints host itself: a ticket, its field work orders, parts, history and saga state survive a
/// restart on both stores; deadlines and unanswered follow-ups run on the hub's durable scheduler.
/// </summary>
public sealed class ServiceTicketStoreTests
{
    private static readonly Uri Tickets = HubQueues.Address(HubQueues.ServiceTickets);

    public static TheoryData<string> Stores() => AuditBulkInsertTests.Stores();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Ticket_taken_through_its_lifecycle_reads_back_the_same_after_a_restart(string store)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-tickets-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var database = "hubtickets_" + Guid.NewGuid().ToString("N")[..12];
        string[] settings = store == "postgres"
            ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={await AuditBulkInsertTests.CreatePostgres(database)}",
                .. Hub.Persistence.Encryption.ColumnEncryptionOptions.Generate().AsSettings().Select(s => "--" + s)]
            : [$"--Hub:SqlitePath={Path.Combine(root, "hub.db")}"];
        string[] args = ["--urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning", .. settings];
        var id = Guid.NewGuid();
        var order = Guid.NewGuid();
        try
        {
            ServiceTicketDetails before;
            await using (var app = HubApp.Build(args, "http://127.0.0.1:0", [new EndpointsModule()]))
            {
                await app.StartAsync();
                var clients = app.Services.GetRequiredService<IClientFactory>();
                var at = DateTimeOffset.UtcNow;
                await Ask(clients, new OpenServiceTicket(id, Guid.NewGuid(), "C1001", null, "Phone", "Request", "Lift stays down", "Pump hums", "TL-2000", null,
                    false, "agent-07", at));
                await Ask(clients, new SubmitServiceTicket(id, Guid.NewGuid(), "agent-07", 1, at));
                await Ask(clients, new DispatchServiceTicket(id, Guid.NewGuid(), "tech-liu", "office-wuhan", 2, at));
                await Ask(clients, new AssignFieldEngineer(id, Guid.NewGuid(), "sup-wu", order, "eng-zhang", "张工", "Depot 3", null, 3, at));
                await Ask(clients, new AcceptFieldWorkOrder(id, Guid.NewGuid(), "eng-zhang", 4, at));
                await Ask(clients, new CompleteFieldWorkOrder(id, Guid.NewGuid(), "eng-zhang", "PartsReplaced", "New pump", [new FieldWorkPart("PUMP-7", 2)], 5, at));
                // No follow-up for a plain request: the saga closes it.
                before = await Eventually.Get(() => Get(clients, id), t => t.Status == "Closed", TimeSpan.FromSeconds(30), "closed by the saga");
                await app.StopAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            // MassTransit keeps the last bus's log context in a static; a new host in the same process must not inherit the disposed one.
            LogContext.ConfigureCurrentLogContext(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

            await using (var app = HubApp.Build(args, "http://127.0.0.1:0", [new EndpointsModule()]))
            {
                await app.StartAsync();
                var after = await Get(app.Services.GetRequiredService<IClientFactory>(), id);
                Assert.Equal(Json(before), Json(after));
                Assert.Equal(["Open", "AwaitingReview", "Dispatched", "Assigned", "Accepted", "Completed", "Closed"], after.History.Select(h => h.To));
                Assert.Equal(new FieldWorkPart("PUMP-7", 2), after.FieldWorkOrders.Single().PartsUsed.Single());
                await using var scope = app.Services.CreateAsyncScope();
                var saga = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<ServiceTicketState>().AsNoTracking().SingleAsync(s => s.CorrelationId == id);
                Assert.Equal(("Closed", 7), (saga.CurrentState, saga.Sequence));
                await app.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (store == "postgres")
                await AuditBulkInsertTests.Admin($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Unanswered_follow_ups_are_rescheduled_then_given_up_and_missed_deadlines_alarm_on_the_durable_scheduler()
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-tickets-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        string[] args =
        [
            "--urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}",
            "--ServiceTickets:Lifecycle:Deadlines:Dispatched=00:00:01", "--ServiceTickets:Lifecycle:FollowUpAfter=00:00:01",
            "--ServiceTickets:Lifecycle:FollowUpRetryAfter=00:00:01", "--ServiceTickets:Lifecycle:FollowUpMaxAttempts=2",
        ];
        try
        {
            await using var app = HubApp.Build(args, "http://127.0.0.1:0", [new EndpointsModule()]);
            await app.StartAsync();
            var clients = app.Services.GetRequiredService<IClientFactory>();
            var id = Guid.NewGuid();
            var at = DateTimeOffset.UtcNow;
            await Ask(clients, new OpenServiceTicket(id, Guid.NewGuid(), "C1001", null, "Web", "Complaint", "Lift stays down", "Third time", null, null, false,
                "agent-07", at));
            await Ask(clients, new SubmitServiceTicket(id, Guid.NewGuid(), "agent-07", null, at));
            await Ask(clients, new DispatchServiceTicket(id, Guid.NewGuid(), "tech-liu", "office-wuhan", null, at));

            // Nobody assigns an engineer within the second the office has: the saga alarms.
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                // The saga's row appears once it has taken the ticket's first status event: until then there is none to read.
                await Eventually.Get(() => db.Set<ServiceTicketState>().AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == id),
                    s => s?.AlarmsRaised == 1, TimeSpan.FromSeconds(20), "deadline alarm in Dispatched");
            }

            var order = Guid.NewGuid();
            await Ask(clients, new AssignFieldEngineer(id, Guid.NewGuid(), "sup-wu", order, "eng-zhang", "张工", null, null, null, DateTimeOffset.UtcNow));
            await Ask(clients, new AcceptFieldWorkOrder(id, Guid.NewGuid(), "eng-zhang", null, DateTimeOffset.UtcNow));
            await Ask(clients, new CompleteFieldWorkOrder(id, Guid.NewGuid(), "eng-zhang", "RepairedOnSite", "Valve reseated", [], null, DateTimeOffset.UtcNow));

            // A complaint is followed up; two unanswered calls a second apart, and the policy gives up and closes the ticket.
            var closed = await Eventually.Get(() => Get(clients, id), t => t.Status == "Closed", TimeSpan.FromSeconds(30), "follow-up given up");
            var visit = Assert.Single(closed.FollowUpVisits);
            Assert.Equal(("Unreachable", 2), (visit.Status, visit.Attempts));
            Assert.Equal(["ScheduleFollowUp", "RescheduleFollowUp", "FollowUpAbandoned"],
                closed.History.Select(h => h.Trigger).SkipWhile(t => t != "ScheduleFollowUp"));
            await app.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            LogContext.ConfigureCurrentLogContext(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task Ask<T>(IClientFactory clients, T command) where T : class
    {
        var response = await clients.CreateRequestClient<T>(Tickets).GetResponse<ServiceTicketDetails, ServiceTicketCommandRejected>(command);
        Assert.True(response.Is(out Response<ServiceTicketDetails>? _), $"{typeof(T).Name} refused: {System.Text.Json.JsonSerializer.Serialize(response.Message)}");
    }

    private static async Task<ServiceTicketDetails> Get(IClientFactory clients, Guid id) =>
        (await clients.CreateRequestClient<GetServiceTicket>(Tickets).GetResponse<ServiceTicketDetails>(new GetServiceTicket(id, null))).Message;

    /// <summary>Compared as the wire shows them: instants as UTC (PostgreSQL gives back +00:00 what was written with another offset).</summary>
    private static string Json(ServiceTicketDetails t) => System.Text.Json.JsonSerializer.Serialize(t);
}
