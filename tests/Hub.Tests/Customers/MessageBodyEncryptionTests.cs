using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Contracts.Customers;
using Hub.Adapters;
using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.Endpoints;
using Hub.Functions;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Infrastructure.Audit;
using Hub.Persistence.Tests.Infrastructure;
using Hub.TestSupport;
using Hub.Tests.Ops;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hub.Tests.Customers;

/// <summary>
/// Copies of message bodies at rest (issue 8): a customer registered over REST with a phone, registration number and bank
/// account leaves its RegisterCustomer in the audit, an unreadable copy of it in the failed messages, its answer in the
/// idempotent replay store, and the staff member's phone in the identity tables. None of them is readable in the raw
/// store (SQLite files read as bytes, PostgreSQL rows read as text); the operations view still shows the bodies to its
/// readers; <c>rotate-column-keys</c> re-seals them under a new key; and no log line of the flow holds a secret.
/// </summary>
public sealed class MessageBodyEncryptionTests
{
    [Fact] public Task Message_bodies_and_staff_phones_hold_no_plaintext_are_shown_to_ops_and_rotate_on_sqlite() => Sealed_and_rotated(StoreKind.Sqlite);
    [PostgresFact] public Task Message_bodies_and_staff_phones_hold_no_plaintext_are_shown_to_ops_and_rotate_on_postgres() => Sealed_and_rotated(StoreKind.Postgres);

    private const string Phone = "0571-8833 6677", Bank = "6228 4801 9988 7766 554", Registration = "91330100MA2XYZ987Q", StaffPhone = "13911112222";
    // Fragments that must never be found at rest or in a log: as typed, and as the normalised phone keys would spell them.
    private static readonly string[] Secrets = ["8833 6677", "88336677", "9988 7766", "99887766", "MA2XYZ98", "11112222"];

    private static async Task Sealed_and_rotated(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var root = Path.GetDirectoryName(database.Options.SqlitePath) is { Length: > 0 } dir && !database.IsPostgres ? dir : Path.Combine(Path.GetTempPath(), "hub-bodies-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var a = ColumnEncryptionOptions.Generate();
        FlowResult flow;
        var logs = new CapturedLogs();
        await using (var hub = await Start(database, root, a, logs))
        {
            flow = await RunFlow(hub);
            await AssertOpsShowsTheBodies(EmbeddedHub.AddressOf(hub.Hub), flow);
        }

        await AssertNoPlaintextAtRest(database, root);
        Assert.All(await SealedValues(database, root), v => Assert.StartsWith("enc1:k1:", v));
        foreach (var secret in Secrets)
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));

        // Key B beside A, then the documented command: every body, header, answer and staff phone moves to B.
        var ab = new ColumnEncryptionOptions
        {
            Keys = new(StringComparer.Ordinal) { ["k1"] = a.Keys["k1"], ["k2"] = Key() }, ActiveKeyId = "k2",
            IndexKeys = new(a.IndexKeys, StringComparer.Ordinal), ActiveIndexKeyId = a.ActiveIndexKeyId,
        };
        Assert.Equal(0, await HubApp.TryRunCommandAsync(["rotate-column-keys", "--batch-size=2", .. StoreSettings(database, root), .. ab.AsSettings().Select(s => "--" + s)],
            [new EndpointsModule(), new AdaptersModule(), new FunctionsModule()]));
        var rotated = await SealedValues(database, root);
        Assert.NotEmpty(rotated);
        Assert.All(rotated, v => Assert.StartsWith("enc1:k2:", v));

        // k1 removed: the hub starts (its key check passes), ops reads the bodies, the staff member signs in again.
        var onlyB = new ColumnEncryptionOptions
        {
            Keys = new(StringComparer.Ordinal) { ["k2"] = ab.Keys["k2"] }, ActiveKeyId = "k2",
            IndexKeys = new(a.IndexKeys, StringComparer.Ordinal), ActiveIndexKeyId = a.ActiveIndexKeyId,
        };
        await using (var hub = await Start(database, root, onlyB, new CapturedLogs()))
        {
            var baseUrl = EmbeddedHub.AddressOf(hub.Hub);
            await AssertOpsShowsTheBodies(baseUrl, flow);
            // On the same device: user, phone and device are checked together, the phones read from their sealed columns.
            using var again = await MobileSession.SignInAsync(baseUrl, flow.StaffId, flow.StaffPassword, StaffPhone, flow.DeviceId);
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Logs_of_a_customer_registration_never_hold_the_phone_bank_account_or_passwords()
    {
        await using var database = await TestDatabase.Create(StoreKind.Sqlite);
        var root = Path.GetDirectoryName(database.Options.SqlitePath)!;
        var logs = new CapturedLogs();
        FlowResult flow;
        await using (var hub = await Start(database, root, ColumnEncryptionOptions.Generate(), logs))
            flow = await RunFlow(hub);

        // The capture is real: the flow's own lines are there (a failed message is reported at Error level, too).
        Assert.Contains(logs.Lines, line => line.Contains("RegisterCustomer", StringComparison.Ordinal));
        foreach (var secret in Secrets.Append(flow.StaffPassword).Append(OpsTestUsers.Password))
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_older_stores_plaintext_bodies_answers_ops_edits_and_staff_phones_are_sealed_by_the_upgrade_on_sqlite()
    {
        await using var database = await TestDatabase.Create(StoreKind.Sqlite);
        var root = Path.GetDirectoryName(database.Options.SqlitePath)!;
        var keys = ColumnEncryptionOptions.Generate();
        string[] settings = ["--urls=http://127.0.0.1:0", .. StoreSettings(database, root), .. keys.AsSettings().Select(s => "--" + s)];
        IHubModule[] Modules() => [new EndpointsModule(), new AdaptersModule(), new FunctionsModule()];
        // Kept until the end: MassTransit's static log context holds on to the first host's logger factory.
        await using var current = HubApp.Build(settings, "http://127.0.0.1:0", Modules());
        await current.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();

        // Back to the schema before this change, with rows as that hub wrote them: everything in clear, the answer as bytes.
        var answer = Encoding.UTF8.GetBytes($"{{\"code\":\"C-OLD\",\"phone\":\"{Phone}\",\"bankAccount\":\"{Bank}\"}}");
        var body = $"{{\"message\":{{\"profile\":{{\"code\":\"C-OLD\",\"phone\":\"{Phone}\",\"bankAccount\":\"{Bank}\"}}}}}}";
        await Execute(Path.Combine(root, "hub.db"),
            """
            DELETE FROM hub_schema_versions WHERE (module, version) IN (VALUES ('hub', 2), ('monitoring', 2), ('mobile-idempotency', 2), ('mobile-identity', 4), ('erp-soap', 3), ('ops', 3));
            ALTER TABLE api_idempotent_request DROP COLUMN "Answer";
            INSERT INTO api_idempotent_request ("UserId", "Route", "Key", "RequestHash", "Status", "ContentType", "Body", "CreatedAt")
            VALUES ('sales-old', '/api/v1/customers', 'k-1', 'h', 201, 'application/json', $answer, '2026-11-22 10:00:00');
            INSERT INTO failed_message ("MessageId", "MessageType", "Endpoint", "InputAddress", "ExceptionType", "ExceptionMessage", "FailurePoint", "GroupId",
                "FirstFailedAt", "LastFailedAt", "FailureCount", "Status", "RetryCount", "Edited", "BusinessKeys", "ContentType", "MessageTypeUrns", "Headers", "Body")
            VALUES ('00000000-0000-0000-0000-000000000001', 'RegisterCustomer', 'crm-customers', 'loopback://localhost/crm-customers', 'X', 'boom', 'here', 'g1',
                '2026-11-22 10:00:00', '2026-11-22 10:00:00', 1, 'unresolved', 0, 0, ';customerCode=C-OLD;', 'application/json', '', '{}', $body);
            INSERT INTO mobile_user ("UserId", "DisplayName", "Role", "Office", "Region", "Phone", "PasswordHash", "FailedLogins", "LockedUntilTicks", "Suspended")
            VALUES ('sales-old', 'Old', 'salesperson', 'sh-pudong', 'east', $staff, 'x', 0, 0, 0);
            INSERT INTO mobile_device ("DeviceId", "UserId", "Phone", "Platform", "Status", "BoundAt", "LastSeenAt", "Version")
            VALUES ('dev-old', 'sales-old', $staff, 'android', 'active', '2026-11-22 10:00:00', '2026-11-22 10:00:00', 1);
            INSERT INTO ops_action ("At", "User", "Role", "Action", "Target", "Count", "Detail")
            VALUES ('2026-11-22 10:00:00', 'ops-operator', 'operator', 'edit-retry', '1', 1, $body);
            INSERT INTO erp_outbound_document ("PartnerId", "DocumentId", "Kind", "Payload", "CreatedAt", "PushAttempts")
            VALUES ('erp-1', 'D-OLD', 'CustomerChanged', $body, '2026-11-22 10:00:00', 0);
            """, ("$answer", answer), ("$body", body), ("$staff", StaffPhone));
        await Execute(Path.Combine(root, "hub-audit.db"),
            """
            DELETE FROM hub_schema_versions WHERE module = 'audit' AND version = 2;
            INSERT INTO audit_message ("MessageId", "MessageType", "Endpoint", "ProcessedAt", "ProcessingMs", "Outcome", "BusinessKeys", "Headers", "Body")
            VALUES ('00000000-0000-0000-0000-000000000002', 'RegisterCustomer', 'crm-customers', '2026-11-22 10:00:00', 1.0, 'consumed', ';customerCode=C-OLD;', '{}', $body);
            """, ("$body", body));

        await using var upgraded = HubApp.Build(settings, "http://127.0.0.1:0", Modules());
        var applied = await upgraded.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        Assert.Equal(7, applied.Count);

        await AssertNoPlaintextAtRest(database, root, nameInClear: "C-OLD");
        using var scope = upgraded.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var replay = await db.Set<Hub.Adapters.Mobile.IdempotentRequest>().SingleAsync(r => r.Key == "k-1");
        Assert.Equal(answer, Convert.FromBase64String(replay.Answer!));
        Assert.Equal(body, (await db.Set<Hub.Infrastructure.Monitoring.FailedMessage>().SingleAsync()).Body);
        Assert.Equal(StaffPhone, (await db.Set<MobileUser>().SingleAsync(u => u.UserId == "sales-old")).Phone);
        Assert.Equal(body, (await db.Set<Hub.Adapters.Ops.OpsAction>().SingleAsync(a => a.Action == "edit-retry")).Detail);
        Assert.Equal(body, (await db.Set<Hub.Adapters.Erp.ErpOutboundDocument>().SingleAsync(d => d.DocumentId == "D-OLD")).Payload);
        await using var audit = upgraded.Services.GetRequiredService<HubModuleStore>().OpenAudit();
        Assert.Equal(body, (await audit.Set<AuditedMessage>().SingleAsync()).Body);
    }

    private static async Task Execute(string file, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record FlowResult(string Code, string FailedCode, string StaffId, string StaffPassword, string DeviceId, long AuditId, long FailedId);

    /// <summary>Sign-in of a staff member, a customer registered over REST and replayed, and an unreadable copy that fails.</summary>
    private static async Task<FlowResult> RunFlow(EmbeddedHub hub)
    {
        var baseUrl = EmbeddedHub.AddressOf(hub.Hub);
        var staffId = "sales-seal-" + Guid.NewGuid().ToString("N")[..6];
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await hub.Hub.Services.GetRequiredService<MobileUserDirectory>().UpsertAsync(staffId,
            new MobileUserSeed { Role = MobileRoles.Salesperson, Office = "sh-pudong", Region = "east", Phone = StaffPhone, Password = password });
        using var phone = await MobileSession.SignInAsync(baseUrl, staffId, password, StaffPhone);

        var code = "S" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var request = new { code, name = "密封消息测试有限公司", kind = "Direct", phone = Phone, registrationNumber = Registration, bankAccount = Bank };
        var key = Guid.NewGuid().ToString();
        var created = await phone.PostAsync("/api/v1/customers", request, key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var replayed = await phone.PostAsync("/api/v1/customers", request, key);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await created.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        // The stored answer carries the customer's phone (what a salesperson may see of the sensitive fields).
        Assert.Equal(Phone, (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString());

        // The same registration with a command id no consumer can read: retried, then in the error queue and the ops view.
        var failedCode = "F" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var intake = await hub.Hub.Services.GetRequiredService<IBus>().GetSendEndpoint(HubQueues.Address(HubQueues.Customers));
        await intake.Send(new UnreadableRegisterCustomer("not-a-guid", Guid.NewGuid(),
            new CustomerProfileData(failedCode, "读不懂的登记", "Direct", Phone: Phone, RegistrationNumber: Registration, BankAccount: Bank), staffId));

        using var ops = await OpsTestUsers.SignInAsync(baseUrl, "reader");
        var audited = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/messages?key={code}&type=RegisterCustomer")!,
            rows => rows!.Length > 0, TimeSpan.FromSeconds(30), $"RegisterCustomer of {code} audited");
        var failed = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/failed?key={failedCode}")!,
            rows => rows!.Length > 0, TimeSpan.FromSeconds(60), $"unreadable RegisterCustomer of {failedCode} in the failed messages");
        return new FlowResult(code, failedCode, staffId, password, phone.DeviceId, audited![0].GetProperty("id").GetInt64(), failed![0].GetProperty("id").GetInt64());
    }

    /// <summary>The operations view opens the sealed bodies for those who may read them, and finds them by customer code.</summary>
    private static async Task AssertOpsShowsTheBodies(string baseUrl, FlowResult flow)
    {
        // An admin: field access masks bank details from the other operations roles.
        using var ops = await OpsTestUsers.SignInAsync(baseUrl, "admin");
        var audited = await ops.GetFromJsonAsync<JsonElement>($"/ops/api/messages/{flow.AuditId}/body");
        Assert.Contains(Bank, audited.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(audited.GetProperty("headers").GetString()!).RootElement.ValueKind);
        var failed = await ops.GetFromJsonAsync<JsonElement>($"/ops/api/failed/{flow.FailedId}");
        Assert.Contains(Phone, failed.GetProperty("body").GetString());
        Assert.Contains(flow.FailedCode, failed.GetProperty("summary").GetProperty("businessKeys").GetString());
    }

    private static async Task<EmbeddedHub> Start(TestDatabase database, string root, ColumnEncryptionOptions keys, CapturedLogs logs) =>
        await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0",
            .. StoreSettings(database, root), .. keys.AsSettings().Select(s => "--" + s),
            $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
            "--Hub:ImmediateRetries=1", "--Hub:RedeliveryIntervals:0=00:00:01",
            "--Logging:Format=simple", "--Logging:LogLevel:Default=Debug",
            .. OpsTestUsers.Args,
        ], configure: builder => builder.Logging.AddProvider(logs));

    private static string[] StoreSettings(TestDatabase database, string root) => database.IsPostgres
        ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={database.Options.PostgresConnectionString}"]
        : [$"--Hub:SqlitePath={Path.Combine(root, "hub.db")}"];

    /// <summary>No fragment of a secret anywhere: every SQLite file's bytes (journal included), or every PostgreSQL row as text.</summary>
    private static async Task AssertNoPlaintextAtRest(TestDatabase database, string root, string nameInClear = "密封消息测试")
    {
        if (database.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(database.Options.PostgresConnectionString);
            await connection.OpenAsync();
            var tables = await StoreAtRest.PostgresTablesAsync(connection);
            Assert.Contains("audit_message", tables);
            foreach (var table in tables)
            foreach (var secret in Secrets)
            {
                await using var probe = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\" t WHERE t::text LIKE '%{secret}%'", connection);
                Assert.True((long)(await probe.ExecuteScalarAsync())! == 0, $"'{secret}' is in table {table} in clear");
            }
            return;
        }
        var files = StoreAtRest.SqliteFiles(root);
        Assert.Contains(files, f => f.EndsWith("hub-audit.db", StringComparison.Ordinal));
        var bytes = StoreAtRest.Bytes(files);
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(nameInClear)) >= 0, $"'{nameInClear}' is in clear, so the search below is a real search");
        foreach (var secret in Secrets)
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' is in a SQLite file in clear");
    }

    /// <summary>Every stored value of the sealed body and phone columns this flow filled (none may be empty).</summary>
    private static async Task<List<string>> SealedValues(TestDatabase database, string root)
    {
        var main = new[]
        {
            "SELECT \"Body\" FROM failed_message", "SELECT \"Headers\" FROM failed_message", "SELECT \"Answer\" FROM api_idempotent_request WHERE \"Answer\" IS NOT NULL",
            "SELECT \"Phone\" FROM mobile_user", "SELECT \"Phone\" FROM mobile_device",
        };
        var audit = new[] { "SELECT \"Body\" FROM audit_message", "SELECT \"Headers\" FROM audit_message" };
        var values = new List<string>();
        foreach (var (file, queries) in new[] { (Path.Combine(root, "hub.db"), main), (Path.Combine(root, "hub-audit.db"), audit) })
        foreach (var sql in queries)
        {
            var found = await Raw(database, database.IsPostgres ? null : file, sql);
            Assert.True(found.Count > 0, $"{sql} found no rows");
            values.AddRange(found);
        }
        return values;
    }

    private static async Task<List<string>> Raw(TestDatabase database, string? sqliteFile, string sql)
    {
        await using System.Data.Common.DbConnection connection = database.IsPostgres
            ? new NpgsqlConnection(database.Options.PostgresConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqliteFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    private static string Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

}

/// <summary>A RegisterCustomer as a broken sender might write it: its command id is not a GUID, so no consumer can read it.</summary>
[MessageUrn("Crm.Contracts.Customers:RegisterCustomer")]
public sealed record UnreadableRegisterCustomer(string CommandId, Guid CustomerId, CustomerProfileData Profile, string Actor);
