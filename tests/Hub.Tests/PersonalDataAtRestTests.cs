using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Adapters;
using Hub.Adapters.Identity;
using Hub.Adapters.Schedule;
using Hub.Embedded;
using Hub.Endpoints;
using Hub.Functions;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Persistence.Tests.Infrastructure;
using Hub.TestSupport;
using Hub.Tests.Ops;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tickets = Hub.Tests.ServiceTickets.ServiceTicketApiTests;

namespace Hub.Tests;

/// <summary>
/// Issue 8's proof: a day of the hub's work over its real HTTP pipeline (a customer with phone, ID number, bank account,
/// email and address; a contact; a dealer; an order with a contact email; a service ticket whose caller dictates a
/// call-back number and the site, dispatched with a site address, completed with a report naming the site contact; an
/// appointment at a customer's home; the engineer's notification) leaves no phone number, email address, ID number, bank
/// account or address readable in the store: every SQLite file's bytes (main, write-ahead log, the audit's file), every
/// PostgreSQL row as text. And a store an older hub wrote in clear keeps no trace of it in the file after the upgrade.
/// </summary>
public sealed class PersonalDataAtRestTests
{
    [Fact] public Task A_day_of_work_leaves_no_personal_data_readable_in_any_sqlite_file() => Day_of_work(StoreKind.Sqlite);
    [PostgresFact] public Task A_day_of_work_leaves_no_personal_data_readable_in_any_postgres_row() => Day_of_work(StoreKind.Postgres);

    private const string CustomerPhone = "0571-8123 4567", IdNumber = "330106198705124417", Bank = "6217 0012 3456 7890 123";
    private const string CustomerEmail = "li.mingzhe.pii@example.cn", CustomerAddress = "杭州市西湖区文三路478号密封楼";
    private const string ContactPhone = "137-5712-3456", ContactEmail = "wang.jing.pii@example.cn", ContactAddress = "西湖区天目山路88号联系人";
    private const string DealerPhone = "021-6234 5678", DealerEmail = "dealer.pii@example.cn";
    private const string OrderEmail = "order.contact.pii@example.cn", EngineerEmail = "engineer.pii@example.cn";
    private const string Description = "液压泵不工作，请回电 139-0571-8888，现场在滨江区江南大道1088号";
    private const string SiteAddress = "滨江区江南大道1088号三幢";
    private const string Report = "已修复，现场联系人陈工 136-0571-9999";
    private const string Location = "上城区解放路66号客户家中", Notes = "带上合同，客户手机 135-8888-9999";

    /// <summary>What must not be found at rest: each value (or its distinctive part) as typed, and phones as digits only.</summary>
    private static readonly string[] Secrets =
    [
        "8123 4567", "057181234567", IdNumber, "0012 3456 7890", "001234567890", CustomerEmail, "文三路478号",
        "5712-3456", "13757123456", ContactEmail, "天目山路88号", "6234 5678", "02162345678", DealerEmail,
        OrderEmail, EngineerEmail, "0571-8888", "13905718888", "江南大道1088号", "0571-9999", "13605719999",
        "解放路66号", "8888-9999", "13588889999",
    ];

    private sealed record Flow(string CustomerCode, string OrderNumber, string TicketNumber);

    private static async Task Day_of_work(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var root = !database.IsPostgres ? Path.GetDirectoryName(database.Options.SqlitePath)! : Path.Combine(Path.GetTempPath(), "hub-pii-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        Flow flow;
        await using (var hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0",
            .. StoreSettings(database, root), .. ColumnEncryptionOptions.Generate().AsSettings().Select(s => "--" + s),
            $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}", .. OpsTestUsers.Args,
        ]))
            flow = await RunDay(hub, Path.Combine(root, "mail"));

        if (database.IsPostgres)
            await AssertNoneInPostgres(database, flow);
        else
        {
            var bytes = StoreBytes(root);
            // The scan is a real one: what is meant to stay in clear (numbers the lists search by) is found.
            foreach (var clear in new[] { flow.OrderNumber, flow.TicketNumber, flow.CustomerCode })
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(clear)) >= 0, $"'{clear}' is in clear, so the search below is a real search");
            foreach (var secret in Secrets)
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' is in a SQLite file of the store in clear: {Around(root, secret)}");
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<Flow> RunDay(EmbeddedHub hub, string mail)
    {
        var baseUrl = EmbeddedHub.AddressOf(hub.Hub);
        string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var office = Id("hz");
        using var sales = await EmbeddedHubFixture.SignInAsync(hub, baseUrl, Id("sales"), MobileRoles.Salesperson, office);
        using var supervisor = await EmbeddedHubFixture.SignInAsync(hub, baseUrl, Id("sup"), MobileRoles.OfficeSupervisor, office);
        using var engineer = await EmbeddedHubFixture.SignInAsync(hub, baseUrl, Id("eng"), MobileRoles.Engineer, office);

        // The engineer's address in the notification registry: the assignment below reaches them by email.
        using (var ops = await OpsTestUsers.SignInAsync(baseUrl, OpsRoles.Operator))
            (await ops.PutAsJsonAsync($"/api/notifications/recipients/user:{engineer.UserId}", new { name = "工程师 陈", email = EngineerEmail, language = "zh" }))
                .EnsureSuccessStatusCode();

        var code = "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var customer = await Created(sales.PostAsync("/api/v1/customers", new
        {
            code, name = "密封个人客户 " + code, kind = "Direct", region = "east", phone = CustomerPhone, email = CustomerEmail, address = CustomerAddress,
            registrationNumber = IdNumber, bankAccount = Bank,
        }));
        var customerId = customer.GetProperty("customerId").GetGuid();
        await Created(sales.PostAsync($"/api/v1/customers/{customerId}/contacts", new
        {
            name = "王静", phones = new[] { new { kind = "Mobile", number = ContactPhone } }, email = ContactEmail, address = ContactAddress, decisionRole = "DecisionMaker",
        }));
        var dealerCode = "D" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var dealer = await Created(sales.PostAsync("/api/v1/customers", new { code = dealerCode, name = "密封经销商 " + dealerCode, kind = "Dealer", region = "east", phone = DealerPhone, email = DealerEmail }));
        // Read back open: the API is unchanged by the sealing.
        var read = await sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}");
        Assert.Equal((CustomerEmail, CustomerAddress), (read.GetProperty("email").GetString(), read.GetProperty("address").GetString()));
        var dealerView = await sales.Http.GetFromJsonAsync<JsonElement>($"/api/v1/dealers/{dealer.GetProperty("customerId").GetGuid()}");
        Assert.Equal((DealerPhone, DealerEmail), (dealerView.GetProperty("phone").GetString(), dealerView.GetProperty("email").GetString()));

        var orderId = Guid.NewGuid();
        var placed = await sales.PostAsync("/api/v1/orders", new
        {
            orderId, customerCode = code, contactEmail = OrderEmail,
            lines = new[] { new { productCode = "MPLS-1G", specModel = "dual", quantity = 1, unitPrice = 800m, discount = 0m } },
        });
        Assert.True(placed.StatusCode == HttpStatusCode.Accepted, await placed.Content.ReadAsStringAsync());
        var order = await Eventually.Get(async () => await sales.Http.GetAsync($"/api/v1/orders/{orderId}") is { IsSuccessStatusCode: true } r
            ? await r.Content.ReadFromJsonAsync<JsonElement>() : default, o => o.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "order stored");

        var (ticket, etag) = await Tickets.Ok(sales.PostAsync("/api/v1/service-tickets", new
        {
            customerId, customerCode = code, kind = "Request", subject = "尾板无法升起", description = Description, productCode = "TL-2000",
        }));
        var path = $"/api/v1/service-tickets/{ticket.GetProperty("ticketId").GetGuid()}";
        (_, etag) = await Tickets.Ok(Tickets.Step(sales, $"{path}/submit", etag));
        (_, etag) = await Tickets.Ok(Tickets.Step(supervisor, $"{path}/dispatch", etag, new { officeId = office }));
        (ticket, etag) = await Tickets.Ok(Tickets.Step(supervisor, $"{path}/assign", etag,
            new { engineerUserId = engineer.UserId, siteAddress = SiteAddress }));
        var fieldWorkOrder = ticket.GetProperty("fieldWorkOrders")[0].GetProperty("fieldWorkOrderId").GetString();
        (_, etag) = await Tickets.Ok(Tickets.Step(engineer, $"/api/v1/field-work-orders/{fieldWorkOrder}/accept", etag));
        (ticket, _) = await Tickets.Ok(Tickets.Step(engineer, $"/api/v1/field-work-orders/{fieldWorkOrder}/complete", etag,
            new { outcome = "RepairedOnSite", report = Report, partsUsed = Array.Empty<object>() }));
        Assert.Equal(Description, ticket.GetProperty("description").GetString());

        var appointment = await Created(sales.PostAsync("/api/v1/me/schedule", new
        {
            kind = "CustomerVisit", title = "上门回访", startsAt = DateTimeOffset.UtcNow.AddDays(1), endsAt = DateTimeOffset.UtcNow.AddDays(1).AddHours(1),
            customerCode = code, location = Location, notes = Notes,
        }));
        Assert.Equal(Location, appointment.GetProperty("location").GetString());

        // Settled: the engineer's email went out (through the sealed notification table), the lists caught up.
        await Eventually.Get(() => Task.FromResult(Mailed(mail, EngineerEmail)), sent => sent, TimeSpan.FromSeconds(60), "the engineer's assignment email sent");
        await Eventually.Get(() => engineer.Http.GetFromJsonAsync<JsonElement>("/api/v1/field-work-orders"),
            p => p.GetProperty("items").EnumerateArray().Any(f => f.GetProperty("status").GetString() == "Completed"), TimeSpan.FromSeconds(30), "the engineer's list");
        return new Flow(code, order.GetProperty("orderNumber").GetString()!, ticket.GetProperty("ticketNumber").GetString()!);
    }

    [Fact]
    public async Task Personal_data_an_older_hub_wrote_or_deleted_in_clear_is_gone_from_the_sqlite_files_after_the_upgrade()
    {
        await using var database = await TestDatabase.Create(StoreKind.Sqlite);
        var root = Path.GetDirectoryName(database.Options.SqlitePath)!;
        string[] settings = ["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}",
            .. ColumnEncryptionOptions.Generate().AsSettings().Select(s => "--" + s)];
        IHubModule[] Modules() => [new EndpointsModule(), new AdaptersModule(), new FunctionsModule()];
        // Kept until the end: MassTransit's static log context holds on to the first host's logger factory.
        await using var current = HubApp.Build(settings, "http://127.0.0.1:0", Modules());
        await current.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();

        // Back to the schema before this change, with what that hub wrote: an appointment and a push notice in clear, and an
        // appointment deleted in clear whose long notes filled pages of their own: freed whole, they keep their bytes, and
        // no rewrite of the sealing step touches them (a page the step rewrites is compacted, which zeroes its gaps anyway).
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(root, "hub.db"), Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                """
                DELETE FROM hub_schema_versions WHERE (module, version) IN (VALUES ('crm-customers', 4), ('orders', 4), ('service-tickets', 2), ('mobile-schedule', 2), ('push', 6));
                INSERT INTO mobile_appointment ("Id", "OwnerUserId", "Kind", "Title", "StartsAtTicks", "EndsAtTicks", "Location", "Notes", "Version", "CreatedAtTicks")
                VALUES ('6F9619FF-8B86-D011-B42D-00C04FC964FF', 'sales-old', 'CustomerVisit', 'kept', 1, 2, $location, $notes, 1, 1);
                INSERT INTO mobile_appointment ("Id", "OwnerUserId", "Kind", "Title", "StartsAtTicks", "EndsAtTicks", "Location", "Notes", "Version", "CreatedAtTicks")
                VALUES ('7F9619FF-8B86-D011-B42D-00C04FC964FF', 'sales-old', 'CustomerVisit', 'gone', 1, 2, NULL, $deleted, 1, 1);
                DELETE FROM mobile_appointment WHERE "Title" = 'gone';
                INSERT INTO mobile_push_event ("UserId", "Kind", "Payload", "CreatedAt", "Sequence")
                VALUES ('eng-old', 'field-work-order.assigned', $payload, '2026-11-22 10:00:00+00:00', 1);
                """;
            command.Parameters.AddWithValue("$location", Location);
            command.Parameters.AddWithValue("$notes", Notes);
            command.Parameters.AddWithValue("$deleted", CustomerAddress + new string('记', 1900) + CustomerAddress);
            command.Parameters.AddWithValue("$payload", $"{{\"siteAddress\":\"{SiteAddress}\"}}");
            await command.ExecuteNonQueryAsync();
        }
        string[] written = ["解放路66号", "8888-9999", "文三路478号", "江南大道1088号"];
        var before = StoreBytes(root);
        // The older file does hold them (the deleted one too), so the scan after the upgrade is a real one.
        foreach (var value in written)
            Assert.True(before.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) >= 0, $"'{value}' was written in clear");

        await using (var upgraded = HubApp.Build(settings, "http://127.0.0.1:0", Modules()))
        {
            Assert.Equal(5, (await upgraded.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync()).Count);
            using var scope = upgraded.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var kept = await db.Set<Appointment>().SingleAsync(a => a.Title == "kept");
            Assert.Equal((Location, Notes), (kept.Location, kept.Notes));
            Assert.Contains(SiteAddress, (await db.Set<Hub.Adapters.Push.PushEvent>().SingleAsync(e => e.UserId == "eng-old")).Payload);
        }

        var after = StoreBytes(root);
        foreach (var value in written)
            Assert.True(after.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' is still in a SQLite file of the store after the upgrade");
    }

    /// <summary>Whether the pickup directory holds a mail to <paramref name="address"/> (a file still being written counts as not yet).</summary>
    private static bool Mailed(string mail, string address)
    {
        try
        {
            return Directory.Exists(mail) && Directory.EnumerateFiles(mail).Any(f => File.ReadAllText(f).Contains(address, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> Created(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] StoreSettings(TestDatabase database, string root) => database.IsPostgres
        ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={database.Options.PostgresConnectionString}"]
        : [$"--Hub:SqlitePath={Path.Combine(root, "hub.db")}"];

    /// <summary>Every byte of every database file of the store (main, audit, their write-ahead logs), with the pools closed.</summary>
    private static byte[] StoreBytes(string root)
    {
        var files = StoreAtRest.SqliteFiles(root);
        Assert.Contains(files, f => f.EndsWith("hub.db", StringComparison.Ordinal));
        return StoreAtRest.Bytes(files);
    }

    /// <summary>Where <paramref name="secret"/> was found: the file and the text around it, to name the column that leaks.</summary>
    private static string Around(string root, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in StoreAtRest.SqliteFiles(root))
        {
            var bytes = File.ReadAllBytes(file);
            var at = bytes.AsSpan().IndexOf(needle);
            if (at >= 0)
                return $"{Path.GetFileName(file)} at {at}: …{Encoding.UTF8.GetString(bytes, Math.Max(0, at - 200), Math.Min(bytes.Length - Math.Max(0, at - 200), 400))}…";
        }
        return "";
    }

    /// <summary>Every row of every table as text (so every text column): no secret; the order and ticket numbers are there.</summary>
    private static async Task AssertNoneInPostgres(TestDatabase database, Flow flow)
    {
        await using var connection = new NpgsqlConnection(database.Options.PostgresConnectionString);
        await connection.OpenAsync();
        var tables = await StoreAtRest.PostgresTablesAsync(connection);
        async Task<long> Rows(string table, string value)
        {
            await using var probe = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\" t WHERE strpos(t::text, @value) > 0", connection);
            probe.Parameters.AddWithValue("value", value);
            return (long)(await probe.ExecuteScalarAsync())!;
        }
        Assert.True(await Rows("crm_order", flow.OrderNumber) > 0, "the order number is in clear, so the search below is a real search");
        Assert.True(await Rows("crm_service_ticket", flow.TicketNumber) > 0, "the ticket number is in clear");
        foreach (var table in tables)
        foreach (var secret in Secrets)
            Assert.True(await Rows(table, secret) == 0, $"'{secret}' is in table {table} in clear");
    }
}
