using System.Text;
using Crm.Domain.Customers;
using Hub.Adapters.Customers;
using Hub.Adapters.Identity;
using Hub.CrmStore;
using Hub.Endpoints;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Persistence.History;
using Hub.Persistence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Hub.Tests.Customers;

/// <summary>
/// Sensitive columns at rest (issue 8, 003 §4.4.5.2): phones, fax, registration number and bank account sealed in the store
/// and in the change history, found by caller number through blind indexes, and carried over to a new key by
/// <c>rotate-column-keys</c>. The raw store is read with plain SQLite / Npgsql, never through the hub.
/// </summary>
public sealed class ColumnEncryptionTests
{
    [Fact] public Task Sensitive_columns_and_their_history_hold_no_plaintext_on_sqlite() => No_plaintext_at_rest(StoreKind.Sqlite);
    [PostgresFact] public Task Sensitive_columns_and_their_history_hold_no_plaintext_on_postgres() => No_plaintext_at_rest(StoreKind.Postgres);
    [Fact] public Task Rotation_re_encrypts_every_row_to_the_new_keys_and_the_old_ones_can_go_on_sqlite() => Rotation(StoreKind.Sqlite);
    [PostgresFact] public Task Rotation_re_encrypts_every_row_to_the_new_keys_and_the_old_ones_can_go_on_postgres() => Rotation(StoreKind.Postgres);
    [Fact] public Task A_removed_or_wrong_key_stops_the_host_at_start_naming_the_key_on_sqlite() => Wrong_keys_stop_the_start(StoreKind.Sqlite);
    [PostgresFact] public Task A_removed_or_wrong_key_stops_the_host_at_start_naming_the_key_on_postgres() => Wrong_keys_stop_the_start(StoreKind.Postgres);
    [Fact] public Task A_new_index_key_goes_live_while_rows_indexed_under_the_old_one_are_still_found_on_sqlite() => Online_index_key_rotation(StoreKind.Sqlite);
    [PostgresFact] public Task A_new_index_key_goes_live_while_rows_indexed_under_the_old_one_are_still_found_on_postgres() => Online_index_key_rotation(StoreKind.Postgres);
    [Fact] public Task Plaintext_written_before_encryption_is_sealed_by_the_migration_data_step_on_sqlite() => Data_step_seals_plaintext(StoreKind.Sqlite);
    [PostgresFact] public Task Plaintext_written_before_encryption_is_sealed_by_the_migration_data_step_on_postgres() => Data_step_seals_plaintext(StoreKind.Postgres);

    /// <summary>
    /// While two index keys are configured, one value can be stored under either key's index, so a unique index over a
    /// blind index (or a key over one) no longer keeps the value unique by itself: its writer must look the value up
    /// under every key (<see cref="ColumnKeyRing.BlindIndexes"/>) before it inserts. The known ones, with the writer that
    /// does so; a new one fails here until it is added with its reason.
    /// </summary>
    [Fact]
    public async Task Every_unique_index_over_a_blind_index_is_one_whose_writer_checks_every_index_key()
    {
        var known = new Dictionary<string, string>
        {
            // Notifier looks up what the events already notified at the planned addresses before it adds a notification.
            ["Notification(DedupeKey, Channel, RecipientIndex)"] = "Hub.Functions/Notifications/Notifier.cs",
        };
        await using var database = await TestDatabase.Create(StoreKind.Sqlite);
        await using var hub = HubApp.Build(["--urls=http://127.0.0.1:0", .. Settings(database, ColumnEncryptionOptions.Generate())], "http://127.0.0.1:0",
            [new EndpointsModule(), new Hub.Adapters.AdaptersModule(), new Hub.Functions.FunctionsModule()]);
        using var scope = hub.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<HubDbContext>().Model;

        Assert.Contains(model.GetEntityTypes().SelectMany(e => e.GetProperties()), p => p.BlindIndexOf() is not null);
        var unique = model.GetEntityTypes()
            .SelectMany(e => e.GetIndexes().Where(i => i.IsUnique).Select(i => i.Properties).Concat(e.GetKeys().Select(k => k.Properties)))
            .Where(columns => columns.Any(p => p.BlindIndexOf() is not null))
            .Select(columns => $"{columns[0].DeclaringType.DisplayName()}({string.Join(", ", columns.Select(p => p.Name))})");
        Assert.Equal(known.Keys.Order(), unique.Order());
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly MobileCaller Agent = new("agent", MobileRoles.Manager, "", "", "test");

    // Values and the fragments of them that must never be found at rest (as typed, and normalised).
    private const string Phone = "010-6552 1234", Fax = "010-6552 9876", Mobile = "138-0013-8000";
    private const string Registration = "91110108MA01ABCD2X", Bank = "6222 0210 0112 3456 789";
    private static readonly string[] Secrets = ["6552 1234", "65521234", "6552 9876", "65529876", "0013-8000", "13800138000", "MA01ABCD", "0112 3456", "01123456"];

    private static async Task No_plaintext_at_rest(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var provider = await CustomerStoreTests.Store(database);
        var (customerId, contactId) = await Write(provider, "C-SEAL", "华信密封科技有限公司");
        // A change, so the history holds a before and an after of every sealed field.
        await Change(provider, customerId, "010-6552 1234 转 8");

        await AssertNoPlaintext(database);
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var customer = await db.Set<Customer>().SingleAsync(c => c.Id == customerId);
        Assert.Equal(("010-6552 1234 转 8", Fax, Registration, Bank), (customer.Phone, customer.Fax, customer.RegistrationNumber, customer.BankAccount));
        Assert.Equal([Mobile], (await db.Set<Contact>().SingleAsync(c => c.Id == contactId)).Phones.Select(p => p.Number));
        var all = CustomerQueries.All(db);
        Assert.Equal([customerId], (await CustomerQueries.ScreenPopByCallerAsync(db, all, "+86 10 6552 1234", Agent, default)).Customers.Select(c => c.CustomerId));
        var byContact = await CustomerQueries.ScreenPopByCallerAsync(db, all, "0086 138 0013 8000", Agent, default);
        Assert.Equal([customerId], byContact.Customers.Select(c => c.CustomerId));
        Assert.Equal([contactId], byContact.Contacts.Select(c => c.ContactId));
        Assert.Equal([customerId], (await CustomerQueries.ScreenPopByNameAsync(all, "华信密封", Agent, default)).Customers.Select(c => c.CustomerId));
        // The history opens for its readers, and the record as of its registration is the one registered.
        var history = await ChangeHistory.Of<Customer>(db, customerId, default);
        Assert.Contains("\"BankAccount\":\"6222 0210 0112 3456 789\"", history[0].After);
        Assert.DoesNotContain("PhoneKey", history[0].After);
        var registered = await ChangeHistory.AsOf<Customer>(db, customerId, history[0].At, default);
        Assert.Equal(Phone, registered!.Values["Phone"].GetString());
    }

    private static async Task Rotation(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var a = Keys(("A", Key()), ("i1", Key()));
        Guid first, second;
        await using (var underA = await Open(database, a))
            (first, _) = await Write(underA, "C-ROT-1", "旋转一号有限公司");

        // B becomes active beside A: the old row still reads, new writes use B.
        var ab = Keys(("A", a.Keys["A"]), ("B", Key()), ("i1", a.IndexKeys["i1"]));
        ab.ActiveKeyId = "B";
        await using (var underB = await Open(database, ab))
        {
            (second, _) = await Write(underB, "C-ROT-2", "旋转二号有限公司", phone: "021-5550 7777", mobile: "139-0000-1111");
            using var scope = underB.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.Equal(Bank, (await db.Set<Customer>().SingleAsync(c => c.Id == first)).BankAccount);
            Assert.Equal([first], (await CustomerQueries.ScreenPopByCallerAsync(db, CustomerQueries.All(db), Phone, Agent, default)).Customers.Select(c => c.CustomerId));
        }
        Assert.Equal(["enc1:A:", "enc1:B:"], (await Raw(database, "SELECT \"BankAccount\" FROM crm_customer ORDER BY \"Code\"")).Select(v => v![..7]));

        // A new index key too, then the documented command: every row, contact phone and history snapshot moves to B / i2.
        var rotated = Keys(("A", a.Keys["A"]), ("B", ab.Keys["B"]), ("i1", a.IndexKeys["i1"]), ("i2", Key()));
        rotated.ActiveKeyId = "B";
        rotated.ActiveIndexKeyId = "i2";
        Assert.Equal(0, await HubApp.TryRunCommandAsync(["rotate-column-keys", "--batch-size=1", .. Settings(database, rotated)], [new EndpointsModule()]));
        // The pages as they were under A do not linger in the write-ahead log (pooled connections keep the log file, so
        // it would otherwise hold them until a later checkpoint).
        if (!database.IsPostgres && File.Exists(database.Options.SqlitePath + "-wal"))
            Assert.Equal(0, new FileInfo(database.Options.SqlitePath + "-wal").Length);

        foreach (var value in (await Raw(database, "SELECT \"Phone\" FROM crm_customer")).Concat(await Raw(database, "SELECT \"Fax\" FROM crm_customer"))
                     .Concat(await Raw(database, "SELECT \"RegistrationNumber\" FROM crm_customer")).Concat(await Raw(database, "SELECT \"Number\" FROM crm_contact_phone")))
            Assert.StartsWith("enc1:B:", value);
        foreach (var value in (await Raw(database, "SELECT \"PhoneKey\" FROM crm_customer")).Concat(await Raw(database, "SELECT \"PhoneKey\" FROM crm_contact_phone")))
            Assert.StartsWith("bix1:i2:", value);
        foreach (var snapshot in await Raw(database, "SELECT \"After\" FROM hub_entity_change WHERE \"EntityType\" = 'Customer'"))
            Assert.DoesNotContain("enc1:A:", snapshot);

        // A and i1 removed: everything still reads and is still found.
        var onlyB = Keys(("B", ab.Keys["B"]), ("i2", rotated.IndexKeys["i2"]));
        await using var afterwards = await Open(database, onlyB);
        using var final = afterwards.CreateScope();
        var store = final.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal([(Registration, Bank), (Registration, Bank)], await store.Set<Customer>().OrderBy(c => c.Code).Select(c => new ValueTuple<string?, string?>(c.RegistrationNumber, c.BankAccount)).ToListAsync());
        var all = CustomerQueries.All(store);
        Assert.Equal([first], (await CustomerQueries.ScreenPopByCallerAsync(store, all, "+86 10 65521234", Agent, default)).Customers.Select(c => c.CustomerId));
        Assert.Equal([second], (await CustomerQueries.ScreenPopByCallerAsync(store, all, "13900001111", Agent, default)).Customers.Select(c => c.CustomerId));
        var history = await ChangeHistory.Of<Customer>(store, first, default);
        Assert.Equal(Phone, (await ChangeHistory.AsOf<Customer>(store, first, history[0].At, default))!.Values["Phone"].GetString());
    }

    private static async Task Online_index_key_rotation(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var i1 = Keys(("A", Key()), ("i1", Key()));
        Guid first, firstContact, second;
        await using (var underI1 = await Open(database, i1))
            (first, firstContact) = await Write(underI1, "C-IDX-1", "索引一号有限公司");

        // i2 added and active on this host, no rotation yet: the rows indexed under i1 are still found, new rows go under i2,
        // and the same phone under the two keys is still a duplicate.
        var i2Active = Keys(("A", i1.Keys["A"]), ("i2", Key()), ("i1", i1.IndexKeys["i1"]));
        await using (var live = await Open(database, i2Active))
        {
            (second, _) = await Write(live, "C-IDX-2", "索引二号有限公司", mobile: "139-0000-2222");
            Assert.Equal(["bix1:i1:", "bix1:i2:"], (await Raw(database, "SELECT \"PhoneKey\" FROM crm_customer ORDER BY \"Code\"")).Select(v => v![..8]));
            await AssertFound(live, first, firstContact, second);
            using var scope = live.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var stored = await db.Set<Customer>().AsNoTracking().OrderBy(c => c.Code).ToListAsync();
            Assert.Equal([DuplicateReason.SamePhone], DuplicateCandidates.Of(stored[0], [stored[1]]).Select(d => d.Reason));
        }
        // A host not yet switched (i2 held, i1 still active) finds the rows the switched host indexed under i2.
        await using (var notYetSwitched = await Open(database, Keys(("A", i1.Keys["A"]), ("i1", i1.IndexKeys["i1"]), ("i2", i2Active.IndexKeys["i2"]))))
            await AssertFound(notYetSwitched, first, firstContact, second);

        // i1 removed before the rotation: the start is refused, naming table, column and key id, never key material.
        var onlyI2 = Keys(("A", i1.Keys["A"]), ("i2", i2Active.IndexKeys["i2"]));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Open(database, onlyI2));
        Assert.Contains("crm_c", refused.Message);
        Assert.Contains("column PhoneKey", refused.Message);
        Assert.Contains("index key 'i1'", refused.Message);
        Assert.Contains("rotate-column-keys", refused.Message);
        Assert.DoesNotContain(i1.IndexKeys["i1"], refused.Message);
        Assert.DoesNotContain(i2Active.IndexKeys["i2"], refused.Message);

        // The rotation beside the running host rebuilds every index under i2; the host keeps finding everything.
        await using (var live = await Open(database, i2Active))
        {
            Assert.Equal(0, await HubApp.TryRunCommandAsync(["rotate-column-keys", "--batch-size=1", .. Settings(database, i2Active)], [new EndpointsModule()]));
            foreach (var value in (await Raw(database, "SELECT \"PhoneKey\" FROM crm_customer")).Concat(await Raw(database, "SELECT \"PhoneKey\" FROM crm_contact_phone")))
                Assert.StartsWith("bix1:i2:", value);
            await AssertFound(live, first, firstContact, second);
        }

        // Now i1 may go.
        await using var afterwards = await Open(database, onlyI2);
        await AssertFound(afterwards, first, firstContact, second);
    }

    /// <summary>The screen pop finds both customers by their shared phone, the first's contact by its mobile, the second by its contact's.</summary>
    private static async Task AssertFound(IServiceProvider provider, Guid first, Guid firstContact, Guid second)
    {
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var all = CustomerQueries.All(db);
        Assert.Equal([first, second], (await CustomerQueries.ScreenPopByCallerAsync(db, all, "+86 10 6552 1234", Agent, default)).Customers.Select(c => c.CustomerId));
        var byMobile = await CustomerQueries.ScreenPopByCallerAsync(db, all, "0086 138 0013 8000", Agent, default);
        Assert.Equal([first], byMobile.Customers.Select(c => c.CustomerId));
        Assert.Equal([firstContact], byMobile.Contacts.Select(c => c.ContactId));
        Assert.Equal([second], (await CustomerQueries.ScreenPopByCallerAsync(db, all, "13900002222", Agent, default)).Customers.Select(c => c.CustomerId));
    }

    private static async Task Wrong_keys_stop_the_start(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var a = Keys(("A", Key()), ("i1", Key()));
        await using (var underA = await Open(database, a))
            await Write(underA, "C-KEY", "钥匙测试有限公司");

        var removed = await Assert.ThrowsAsync<InvalidOperationException>(() => Open(database, Keys(("B", Key()), ("i1", a.IndexKeys["i1"]))));
        Assert.Contains("column key 'A'", removed.Message);
        var otherMaterial = await Assert.ThrowsAsync<InvalidOperationException>(() => Open(database, Keys(("A", Key()), ("i1", a.IndexKeys["i1"]))));
        Assert.Contains("does not open with key 'A'", otherMaterial.Message);
        var otherIndex = await Assert.ThrowsAsync<InvalidOperationException>(() => Open(database, Keys(("A", a.Keys["A"]), ("i1", Key()))));
        Assert.Contains("index key 'i1'", otherIndex.Message);
        foreach (var error in new[] { removed, otherMaterial, otherIndex })
            Assert.DoesNotContain(a.Keys["A"], error.Message);
    }

    private static async Task Data_step_seals_plaintext(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var provider = await CustomerStoreTests.Store(database);
        var id = Guid.NewGuid();
        var contactId = Guid.NewGuid();
        // Rows as a hub before encryption wrote them: plain values, plain phone keys, a plain history snapshot.
        var guid = database.IsPostgres ? "@id" : "upper(@id)";
        await Execute(database,
            $"""
             INSERT INTO crm_customer ("Id","Code","Name","Kind","Phone","Fax","RegistrationNumber","BankAccount","ValueGrade","CreditGrade","NameKey","PhoneKey","RegisteredAt","Version")
             VALUES ({guid},'C-OLD','旧数据有限公司','Direct','{Phone}','{Fax}','{Registration}','{Bank}','C','B','旧数据','1065521234',@at,1);
             INSERT INTO crm_contact ("Id","CustomerId","Name","DecisionRole","Version") VALUES ({guid.Replace("@id", "@contact")},{guid},'老王','Unknown',1);
             INSERT INTO crm_contact_phone ("ContactId","Kind","Number","PhoneKey") VALUES ({guid.Replace("@id", "@contact")},'Mobile','{Mobile}','13800138000');
             INSERT INTO hub_entity_change ("At","EntityType","EntityKey","Operation","After","Actor","Channel")
             VALUES (@at,'Customer',@key,'added',@after,'system','system');
             """, ("id", database.IsPostgres ? id : id.ToString()), ("contact", database.IsPostgres ? contactId : contactId.ToString()),
            ("at", Now.UtcDateTime), ("key", id.ToString()),
            ("after", System.Text.Json.JsonSerializer.Serialize(new { Phone, PhoneKey = "1065521234", BankAccount = Bank, Name = "旧数据有限公司" })));

        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await ColumnKeyRotation.SealPlaintext("crm_customer", "crm_contact_phone")(db, default);

        await AssertNoPlaintext(database);
        db.ChangeTracker.Clear();
        var customer = await db.Set<Customer>().SingleAsync(c => c.Id == id);
        Assert.Equal((Phone, Registration, Bank), (customer.Phone, customer.RegistrationNumber, customer.BankAccount));
        var byCaller = await CustomerQueries.ScreenPopByCallerAsync(db, CustomerQueries.All(db), "13800138000", Agent, default);
        Assert.Equal([id], byCaller.Customers.Select(c => c.CustomerId));
        Assert.Equal([contactId], byCaller.Contacts.Select(c => c.ContactId));
        Assert.Equal(Bank, (await ChangeHistory.AsOf<Customer>(db, id, Now.UtcDateTime, default))!.Values["BankAccount"].GetString());
    }

    /// <summary>A customer with every sensitive field and a contact with a mobile, saved as the endpoint saves them.</summary>
    private static async Task<(Guid Customer, Guid Contact)> Write(IServiceProvider provider, string code, string name, string phone = Phone, string mobile = Mobile)
    {
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var customer = Customer.Register(Guid.NewGuid(), new CustomerProfile(code, name, CustomerKind.Direct, Phone: phone, Fax: Fax,
            RegistrationNumber: Registration, BankAccount: Bank), "sales-li", Now);
        var contact = Contact.Add(Guid.NewGuid(), customer.Id, new ContactDetails("王会计", [new ContactPhone(PhoneKind.Mobile, mobile)]));
        db.AddRange(customer, contact);
        db.NextVersion(customer);
        db.NextVersion(contact);
        await db.SaveChangesAsync();
        return (customer.Id, contact.Id);
    }

    private static async Task Change(IServiceProvider provider, Guid customerId, string phone)
    {
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var customer = await db.Set<Customer>().SingleAsync(c => c.Id == customerId);
        customer.UpdateProfile(new CustomerProfile(customer.Code, customer.Name, customer.Kind, Phone: phone, Fax: Fax, RegistrationNumber: Registration, BankAccount: Bank));
        db.NextVersion(customer);
        await db.SaveChangesAsync();
    }

    /// <summary>No fragment of a sensitive value anywhere in the store: the SQLite file's bytes, or every row of the PostgreSQL tables as text.</summary>
    private static async Task AssertNoPlaintext(TestDatabase database)
    {
        if (database.IsPostgres)
        {
            foreach (var table in new[] { "crm_customer", "crm_contact_phone", "hub_entity_change" })
            foreach (var secret in Secrets)
                Assert.Empty(await Raw(database, $"SELECT t::text FROM {table} t WHERE t::text LIKE '%{secret}%'"));
            return;
        }
        SqliteConnection.ClearAllPools();
        var path = database.Options.SqlitePath;
        var bytes = File.ReadAllBytes(path).Concat(File.Exists(path + "-wal") ? File.ReadAllBytes(path + "-wal") : []).ToArray();
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("华信")) >= 0 || bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("旧数据")) >= 0,
            "the file holds the customer's (unencrypted) name, so a search for the secrets is a real search");
        foreach (var secret in Secrets)
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' is in the SQLite file in clear");
    }

    private static async Task<List<string?>> Raw(TestDatabase database, string sql)
    {
        var values = new List<string?>();
        if (database.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(database.Options.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        else
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Options.SqlitePath, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqliteCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        return values;
    }

    private static async Task Execute(TestDatabase database, string sql, params (string Name, object Value)[] parameters)
    {
        await using System.Data.Common.DbConnection connection = database.IsPostgres
            ? new NpgsqlConnection(database.Options.PostgresConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Options.SqlitePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The store with other keys, started as a host starts it (migration, then the key check).</summary>
    private static async Task<ServiceProvider> Open(TestDatabase database, ColumnEncryptionOptions keys)
    {
        var options = new HubStoreOptions
        {
            Provider = database.Options.Provider, SqlitePath = database.Options.SqlitePath,
            PostgresConnectionString = database.Options.PostgresConnectionString, ColumnEncryption = keys,
        };
        var provider = new ServiceCollection().AddLogging().AddHubStore(options).AddCrmStore().BuildServiceProvider();
        try
        {
            await provider.GetServices<IHostedService>().OfType<HubSchemaMigrationService>().Single().StartAsync(default);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keys by id (ids starting with "i" are index keys); the first of each kind is active.</summary>
    private static ColumnEncryptionOptions Keys(params (string Id, string Key)[] keys)
    {
        var options = new ColumnEncryptionOptions();
        foreach (var (id, key) in keys)
        {
            if (id.StartsWith('i'))
            {
                options.IndexKeys[id] = key;
                options.ActiveIndexKeyId ??= id;
            }
            else
            {
                options.Keys[id] = key;
                options.ActiveKeyId ??= id;
            }
        }
        return options;
    }

    private static string Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The command line a host is given: the store and the keys, as configuration.</summary>
    private static IEnumerable<string> Settings(TestDatabase database, ColumnEncryptionOptions keys) =>
        new[]
        {
            $"--Hub:Store={database.Options.Provider}",
            database.IsPostgres ? $"--Hub:PostgresConnectionString={database.Options.PostgresConnectionString}" : $"--Hub:SqlitePath={database.Options.SqlitePath}",
        }.Concat(keys.AsSettings().Select(s => "--" + s));
}
