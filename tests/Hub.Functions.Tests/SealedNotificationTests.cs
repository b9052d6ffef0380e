using System.Net;
using System.Net.Http.Json;
using System.Text;
using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Tests.Support;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Tests;
using Hub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hub.Functions.Tests;

/// <summary>
/// Issue 8 for the notification functions: whom a notification went to, what it said and what the provider answered, and
/// the registry's names, addresses and numbers, are sealed at rest (neither the raw SQLite file nor the PostgreSQL rows
/// hold them). An event still notifies once per channel and address (the dedupe index is on the address's blind index), a
/// "TD" reply still opts the number out, a search by a whole address still finds its notifications, an older store is
/// sealed by the upgrade and <c>rotate-column-keys</c> takes these tables along, and no log line names a recipient.
/// </summary>
public sealed class SealedNotificationTests
{
    [Fact]
    public Task Recipients_and_message_text_are_unreadable_in_the_sqlite_file_yet_dedupe_td_replies_and_search_work() => Sealed_flow(postgres: false);

    [PostgresFact]
    public Task Recipients_and_message_text_are_unreadable_in_postgres_rows_yet_dedupe_td_replies_and_search_work() => Sealed_flow(postgres: true);

    [Fact]
    public Task An_older_sqlite_store_is_sealed_and_indexed_by_the_upgrade_and_rotate_column_keys_moves_it_to_new_keys() => Upgrade(postgres: false);

    [PostgresFact]
    public Task An_older_postgres_store_is_sealed_and_indexed_by_the_upgrade_and_rotate_column_keys_moves_it_to_new_keys() => Upgrade(postgres: true);

    [Fact]
    public Task After_an_index_key_switch_rows_indexed_under_the_old_key_still_dedupe_and_opt_out_on_sqlite() => Index_key_switch(postgres: false);

    [PostgresFact]
    public Task After_an_index_key_switch_rows_indexed_under_the_old_key_still_dedupe_and_opt_out_on_postgres() => Index_key_switch(postgres: true);

    private const string Name = "Jane Sealwell";

    private static async Task Sealed_flow(bool postgres)
    {
        var logs = new CapturedLogs();
        var hub = new NotificationsFixture();
        try
        {
            await hub.Start(postgres, ["Logging:LogLevel:Default=Debug"], b => b.Logging.AddProvider(logs));
            var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
            var phone = NotificationsFixture.NewPhone();
            var email = $"sealed.{customer.ToLowerInvariant()}@example.com";
            await hub.Register($"customer:{customer}", new { name = Name, email, phone = "+86 " + phone, language = "en" });
            var number = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
            var completed = new OrderCompleted(Guid.NewGuid(), number, customer, "sales-li", "ERP-7", "CH-7", 4321.5m, email, DateTimeOffset.UtcNow);

            await hub.Host.Publish(completed, Guid.NewGuid());
            await Eventually.Get(() => Task.FromResult(hub.Smtp.To(email).Count + hub.Kannel.To(phone).Count), n => n == 2, TimeSpan.FromSeconds(30),
                "the email and the SMS");
            var recorded = await hub.Host.WaitForNotifications(number,
                n => n.Length == 2 && n.Any(x => x.Channel == NotificationChannel.Sms && x.State == NotificationState.Delivered), "SMS delivered");
            // Republished under a new message id: the event's notifications exist already, nothing more goes out.
            var republished = Guid.NewGuid();
            await hub.Host.Publish(completed, republished);
            await hub.Host.WaitUntilConsumed(republished);
            Assert.Single(hub.Smtp.To(email));
            Assert.Single(hub.Kannel.To(phone));
            Assert.Equal(2, (await hub.Host.Notifications(number)).Length);

            // Read through the store they are open again.
            var sms = recorded.Single(n => n.Channel == NotificationChannel.Sms);
            var mail = recorded.Single(n => n.Channel == NotificationChannel.Email);
            Assert.Equal((phone, email), (sms.Recipient, mail.Recipient));
            Assert.Contains("4321.50", sms.Body);
            Assert.Contains($"Dear {Name}", mail.Body);
            Assert.Equal($"Order {number} completed", mail.Title);
            Assert.StartsWith("kannel dlr 1", sms.ProviderStatus);

            // The dedupe index holds on the sealed address: a second row for the same event, channel and address is refused.
            await Assert.ThrowsAsync<DbUpdateException>(() => hub.Host.Query(db =>
            {
                db.Add(Row(number, NotificationChannel.Email, email));
                return db.SaveChangesAsync();
            }));

            // A search by a whole address (typed in any form) goes through the blind index; a part of one is refused.
            using var http = hub.Host.Http();
            Assert.Equal([sms.Id], (await http.GetFromJsonAsync<NotificationView[]>($"/api/notifications?recipient={Uri.EscapeDataString("+86 " + phone)}"))!
                .Select(n => n.Id));
            Assert.Equal([mail.Id], (await http.GetFromJsonAsync<NotificationView[]>($"/api/notifications?recipient={Uri.EscapeDataString(email.ToUpperInvariant())}"))!
                .Select(n => n.Id));
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/notifications?recipient=sealed")).StatusCode);

            // The phone answers TD: its number is found by its blind index and opted out.
            await hub.Kannel.SendFromPhone(phone, "TD");
            await Eventually.Get(() => http.GetStringAsync($"/api/notifications/recipients/customer:{customer}"), r => r.Contains("\"smsOptOut\":true"),
                TimeSpan.FromSeconds(30), "opted out by the TD reply");

            string[] secrets = [email, phone, Name, "4321.50", $"Order {number} completed"];
            // Email: address, subject, text, HTML; SMS: number, text, the delivery report; the entry: name, email, phone.
            await AssertSealedColumns(hub.Host.Query, number, customer, expectedSealed: 10);
            await AssertNoPlaintextAtRest(hub.Host, secrets, visible: number);
            // The capture is real (the flow's own lines are there), and none of them names the recipient or quotes the text.
            Assert.Contains(logs.Lines, line => line.Contains("Hub.Functions", StringComparison.Ordinal));
            foreach (var secret in secrets)
                Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    private static async Task Upgrade(bool postgres)
    {
        var (root, database, keys, options) = await NewStore(postgres, "upgrade");
        await using var storeDatabase = database;
        var phone = NotificationsFixture.NewPhone();
        var email = $"old.{Guid.NewGuid():N}@example.com";
        var number = "SO-OLD-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        try
        {
            // The store as the version before wrote it: every address, name and text in clear.
            await using (var before = Store(options, new VersionsUpTo(new NotificationsStoreModel(), 4)))
            {
                await before.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
                await using var scope = before.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                var at = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);
                foreach (var (channel, address) in new[] { (NotificationChannel.Email, email), (NotificationChannel.Sms, phone) })
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO notification ("Id", "SourceMessageId", "Channel", "Recipient", "Template", "Subject", "State", "Error", "CreatedAt",
                            "DedupeKey", "RecipientKey", "CustomerCode", "Language", "Urgent", "RecordedAt", "Title", "Body", "HtmlBody", "ProviderStatus")
                        VALUES ({Guid.NewGuid()}, {Guid.NewGuid()}, {channel}, {address}, 'order-completed', {number}, 'failed', {"The mail server refused " + address},
                            {at}, {"order-completed:" + number}, 'customer:C-OLD', 'C-OLD', 'en', FALSE, {at.UtcDateTime}, {$"Order {number} completed"},
                            {$"Dear {Name}, amount 4321.50"}, {$"<p>Dear {Name}</p>"}, {"kannel dlr 2: " + address})
                        """);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO notification_recipient ("Key", "Name", "Email", "Phone", "Language", "EmailOptOut", "SmsOptOut", "Tags", "UnsubscribeToken", "UpdatedAt")
                    VALUES ('customer:C-OLD', {Name}, {email}, {phone}, 'en', TRUE, FALSE, ';', {Guid.NewGuid().ToString("N")}, {at})
                    """);
            }

            await using (var after = Store(options, new NotificationsStoreModel()))
            {
                await after.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
                Task<T> Query<T>(Func<HubDbContext, Task<T>> query) => InScope(after, query);
                // Six columns of two notifications, three of the entry.
                await AssertSealedColumns(Query, number, "C-OLD", expectedSealed: 15);
                foreach (var row in await Query(db => RawRows(db, "notification").Concat(RawRows(db, "notification_recipient")).ToListAsync()))
                    foreach (var secret in new[] { email, phone, Name, "4321.50" })
                        Assert.DoesNotContain(secret, row);
                await AssertStillFound(after, email, phone, number);
            }

            // New keys beside the old ones, then the documented command: these tables move to them with everything else.
            var rotated = new ColumnEncryptionOptions
            {
                Keys = new(keys.Keys, StringComparer.Ordinal) { ["k2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
                ActiveKeyId = "k2",
                IndexKeys = new(keys.IndexKeys, StringComparer.Ordinal) { ["i2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
                ActiveIndexKeyId = "i2",
            };
            string[] store = postgres
                ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={database.PostgresConnectionString}"]
                : [$"--Hub:SqlitePath={database.SqlitePath}"];
            Assert.Equal(0, await HubApp.TryRunCommandAsync(["rotate-column-keys", "--batch-size=1", .. store, .. rotated.AsSettings().Select(s => "--" + s)],
                [new FunctionsModule()]));

            // Only the new keys: everything reads and is found as before, and nothing is left under the old ones.
            var onlyNew = new ColumnEncryptionOptions
            {
                Keys = new(StringComparer.Ordinal) { ["k2"] = rotated.Keys["k2"] }, ActiveKeyId = "k2",
                IndexKeys = new(StringComparer.Ordinal) { ["i2"] = rotated.IndexKeys["i2"] }, ActiveIndexKeyId = "i2",
            };
            options.ColumnEncryption = onlyNew;
            await using (var afterRotation = Store(options, new NotificationsStoreModel()))
            {
                // The start-up key check passes without the old keys.
                await InScope(afterRotation, async db =>
                {
                    await ColumnKeyRotation.CheckKeysAsync(db);
                    return true;
                });
                var (sealedValues, indexes) = await InScope(afterRotation, db => SealedAndIndexed(db, number, "C-OLD"));
                Assert.Equal(15, sealedValues.Count);
                Assert.All(sealedValues, v => Assert.StartsWith("enc1:k2:", v));
                Assert.All(indexes, v => Assert.StartsWith("bix1:i2:", v));
                await AssertStillFound(afterRotation, email, phone, number);
            }
        }
        finally
        {
            Forget(root);
        }
    }

    /// <summary>
    /// The online index-key switch (README "Rotating a key"): a notification and an opt-out recorded under index key i1, then
    /// i2 made active beside it. Before <c>rotate-column-keys</c> has run, the same event at the same address counts as sent
    /// and the opt-out holds; after it, with i1 gone, the same.
    /// </summary>
    private static async Task Index_key_switch(bool postgres)
    {
        var (root, database, keys, options) = await NewStore(postgres, "switch");
        await using var storeDatabase = database;
        var phone = NotificationsFixture.NewPhone();
        var email = $"switch.{Guid.NewGuid():N}@example.com";
        var number = "SO-SW-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        (string, string, string)[] asked =
        [
            ("order-completed:" + number, NotificationChannel.Email, email),
            ("order-completed:" + number, NotificationChannel.Sms, phone),
            ("order-shipped:" + number, NotificationChannel.Email, email),
        ];
        try
        {
            await using (var before = Store(options, new NotificationsStoreModel()))
            {
                await before.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
                await InScope(before, db =>
                {
                    db.Add(Row(number, NotificationChannel.Email, email));
                    db.Add(new NotificationRecipient { Key = "customer:C-SW", Name = Name, Email = email, Phone = phone, SmsOptOut = true, Tags = ";",
                        UnsubscribeToken = Guid.NewGuid().ToString("N"), UpdatedAt = DateTimeOffset.UtcNow });
                    return db.SaveChangesAsync();
                });
            }

            var switched = new ColumnEncryptionOptions
            {
                Keys = keys.Keys, ActiveKeyId = keys.ActiveKeyId,
                IndexKeys = new(keys.IndexKeys, StringComparer.Ordinal) { ["i2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
                ActiveIndexKeyId = "i2",
            };
            options.ColumnEncryption = switched;
            await using (var after = Store(options, new NotificationsStoreModel()))
            {
                var (_, indexes) = await InScope(after, db => SealedAndIndexed(db, number, "C-SW"));
                Assert.All(indexes, v => Assert.DoesNotContain(":i2:", v));
                await AssertFoundAcrossKeys(after, asked, email, phone);
            }

            string[] store = postgres
                ? ["--Hub:Store=postgres", $"--Hub:PostgresConnectionString={database.PostgresConnectionString}"]
                : [$"--Hub:SqlitePath={database.SqlitePath}"];
            Assert.Equal(0, await HubApp.TryRunCommandAsync(["rotate-column-keys", .. store, .. switched.AsSettings().Select(s => "--" + s)], [new FunctionsModule()]));
            options.ColumnEncryption = new ColumnEncryptionOptions
            {
                Keys = keys.Keys, ActiveKeyId = keys.ActiveKeyId,
                IndexKeys = new(StringComparer.Ordinal) { ["i2"] = switched.IndexKeys["i2"] }, ActiveIndexKeyId = "i2",
            };
            await using (var rotated = Store(options, new NotificationsStoreModel()))
            {
                var (_, indexes) = await InScope(rotated, db => SealedAndIndexed(db, number, "C-SW"));
                Assert.All(indexes, v => Assert.StartsWith("bix1:i2:", v));
                await AssertFoundAcrossKeys(rotated, asked, email, phone);
            }
        }
        finally
        {
            Forget(root);
        }
    }

    private static async Task AssertFoundAcrossKeys(IServiceProvider store, (string, string, string)[] asked, string email, string phone)
    {
        // Only the completion email was sent: the SMS and the shipment email are not taken for sent.
        Assert.Equal([asked[0]], await InScope(store, db => Notifier.AlreadyNotifiedAsync(db, asked, CancellationToken.None)));
        Assert.Equal([(NotificationChannel.Sms, phone)], await InScope(store, db =>
            RecipientRegistry.OptedOutAddresses(db, [(NotificationChannel.Email, email), (NotificationChannel.Sms, phone)], CancellationToken.None)));
    }

    /// <summary>A store of its own (a SQLite file under a fresh folder, or a PostgreSQL database) under fresh keys, not yet migrated.</summary>
    private static async Task<(string Root, TestDatabase Database, ColumnEncryptionOptions Keys, HubStoreOptions Options)> NewStore(bool postgres, string purpose)
    {
        var root = Path.Combine(Path.GetTempPath(), $"hub-notif-{purpose}-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite(root);
        var keys = ColumnEncryptionOptions.Generate();
        var options = postgres
            ? new HubStoreOptions { Provider = HubStoreOptions.Postgres, PostgresConnectionString = database.PostgresConnectionString, ColumnEncryption = keys }
            : new HubStoreOptions { SqlitePath = database.SqlitePath!, ColumnEncryption = keys };
        return (root, database, keys, options);
    }

    private static void Forget(string root)
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The migrated rows are still found by address: the opt-out, the number, and the dedupe index.</summary>
    private static async Task AssertStillFound(IServiceProvider store, string email, string phone, string number)
    {
        var optedOut = await InScope(store, db =>
            RecipientRegistry.OptedOutAddresses(db, [(NotificationChannel.Email, email), (NotificationChannel.Sms, phone)], CancellationToken.None));
        Assert.Equal([(NotificationChannel.Email, email)], optedOut);
        var byNumber = await InScope(store, db =>
            db.Set<NotificationRecipient>().AsNoTracking().Where(r => r.PhoneIndex == RecipientKeys.PhoneIndexKey("+86 " + phone)).ToListAsync());
        Assert.Equal((Name, email, phone), (byNumber.Single().Name, byNumber.Single().Email, byNumber.Single().Phone));
        var texts = await InScope(store, db => db.Set<Notification>().AsNoTracking().Where(n => n.Subject == number).ToArrayAsync());
        Assert.Equal(new[] { email, phone }.Order(StringComparer.Ordinal), texts.Select(n => n.Recipient).Order(StringComparer.Ordinal));
        Assert.All(texts, n => Assert.Equal($"Dear {Name}, amount 4321.50", n.Body));
        await Assert.ThrowsAsync<DbUpdateException>(() => InScope(store, db =>
        {
            db.Add(Row(number, NotificationChannel.Sms, phone));
            return db.SaveChangesAsync();
        }));
    }

    private static Notification Row(string number, string channel, string address) => new()
    {
        Id = Guid.NewGuid(), SourceMessageId = Guid.NewGuid(), Channel = channel, Recipient = address, Template = "order-completed", Subject = number,
        DedupeKey = "order-completed:" + number, CreatedAt = DateTimeOffset.UtcNow, RecordedAt = DateTime.UtcNow,
    };

    /// <summary>The stored form of every sealed column and blind index of the event's notifications and the customer's registry entry.</summary>
    private static async Task AssertSealedColumns(Func<Func<HubDbContext, Task<(List<string> Sealed, List<string> Indexes)>>, Task<(List<string> Sealed, List<string> Indexes)>> query,
        string number, string customer, int expectedSealed)
    {
        var (sealedValues, indexes) = await query(db => SealedAndIndexed(db, number, customer));
        Assert.Equal(expectedSealed, sealedValues.Count);
        Assert.All(sealedValues, v => Assert.StartsWith(ColumnKeyRing.EnvelopePrefix, v));
        // The two notifications' addresses, the entry's email and phone.
        Assert.Equal(4, indexes.Count);
        Assert.All(indexes, v => Assert.StartsWith(ColumnKeyRing.IndexPrefix, v));
    }

    private static async Task<(List<string> Sealed, List<string> Indexes)> SealedAndIndexed(HubDbContext db, string number, string customer)
    {
        var sealedValues = new List<string>();
        foreach (var column in new[] { "Recipient", "Title", "Body", "HtmlBody", "Error", "ProviderStatus" })
            sealedValues.AddRange(await Column(db, "notification", column, "Subject", number));
        foreach (var column in new[] { "Name", "Email", "Phone" })
            sealedValues.AddRange(await Column(db, "notification_recipient", column, "Key", "customer:" + customer));
        var indexes = await Column(db, "notification", "RecipientIndex", "Subject", number);
        foreach (var column in new[] { "EmailIndex", "PhoneIndex" })
            indexes.AddRange(await Column(db, "notification_recipient", column, "Key", "customer:" + customer));
        return (sealedValues, indexes);
    }

    /// <summary>The stored values (not null) of <paramref name="column"/> in the rows whose <paramref name="key"/> is <paramref name="value"/>.</summary>
    private static async Task<List<string>> Column(HubDbContext db, string table, string column, string key, string value)
    {
        // Names from this test only; the value is a parameter.
        var sql = "SELECT \"" + column + "\" AS \"Value\" FROM " + table + " WHERE \"" + key + "\" = {0}";
        return (await db.Database.SqlQueryRaw<string?>(sql, value).ToListAsync()).OfType<string>().ToList();
    }

    /// <summary>
    /// Nothing of <paramref name="secrets"/> in the store: on SQLite in the bytes of its files (the write-ahead log and the
    /// audit's own file included), on PostgreSQL in any row of any table, read as text. <paramref name="visible"/>, a value
    /// kept in clear (the order number), is found: the scan sees what was written.
    /// </summary>
    private static async Task AssertNoPlaintextAtRest(FunctionsHost host, string[] secrets, string visible)
    {
        var seen = false;
        if (host.Database.SqlitePath is { } path)
        {
            var files = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.db*");
            Assert.Contains(files, f => f.EndsWith("hub.db", StringComparison.Ordinal));
            foreach (var file in files)
            {
                byte[] bytes;
                await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    bytes = new byte[stream.Length];
                    await stream.ReadExactlyAsync(bytes);
                }
                foreach (var secret in secrets)
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds '{secret}' in clear");
                seen |= bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(visible)) >= 0;
            }
            Assert.True(seen, $"the scan found not even '{visible}'");
            return;
        }
        var tables = await host.Query(db => db.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").ToListAsync());
        Assert.Contains("notification", tables);
        foreach (var table in tables)
        foreach (var row in await host.Query(db => RawRows(db, table).ToListAsync()))
        {
            foreach (var secret in secrets)
                Assert.False(row.Contains(secret, StringComparison.Ordinal), $"a row of {table} holds '{secret}' in clear");
            seen |= row.Contains(visible, StringComparison.Ordinal);
        }
        Assert.True(seen, $"the scan found not even '{visible}'");
    }

    /// <summary>Every row of <paramref name="table"/> as the database's own text of it (no converter in between).</summary>
    private static IQueryable<string> RawRows(HubDbContext db, string table)
    {
        // Table names from the database's own catalogue or this test.
        var sql = db.Database.IsNpgsql()
            ? "SELECT row_to_json(t)::text AS \"Value\" FROM \"" + table + "\" t"
            : "SELECT " + SqliteRowText(db, table) + " AS \"Value\" FROM \"" + table + "\"";
        return db.Database.SqlQueryRaw<string>(sql);
    }

    private static string SqliteRowText(HubDbContext db, string table) =>
        string.Join(" || '|' || ", db.Model.GetEntityTypes().Single(e => e.GetTableName() == table).GetProperties()
            .Select(p => $"COALESCE(CAST(\"{p.GetColumnName()}\" AS TEXT), '')"));

    private static ServiceProvider Store(HubStoreOptions options, IHubStoreModel notifications)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(notifications);
        services.AddHubStore(options);
        return services.BuildServiceProvider();
    }

    private static async Task<T> InScope<T>(IServiceProvider services, Func<HubDbContext, Task<T>> query)
    {
        await using var scope = services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>The notification tables as an earlier version created them.</summary>
    private sealed class VersionsUpTo(IHubStoreModel model, int version) : IHubStoreModel
    {
        public string Module => model.Module;
        public void Configure(ModelBuilder builder) => model.Configure(builder);
        public IReadOnlyList<HubSchemaMigration> Migrations => model.Migrations.Where(m => m.Version <= version).ToList();
    }
}
