using Hub.Adapters.Identity;
using System.Data.Common;
using System.Text.RegularExpressions;
using Crm.Domain.Customers;
using Hub.Adapters.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Persistence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Customers;

/// <summary>The customers' tables on both stores: migrations applied, data survives a restart, screen-pop lookups use their indexes.</summary>
public sealed class CustomerStoreTests
{
    [Fact] public Task Customers_and_contacts_survive_a_restart_on_sqlite() => Survives_a_restart(StoreKind.Sqlite);
    [PostgresFact] public Task Customers_and_contacts_survive_a_restart_on_postgres() => Survives_a_restart(StoreKind.Postgres);
    [Fact] public Task Screen_pop_lookups_use_their_indexes_on_sqlite() => Lookups_use_their_indexes(StoreKind.Sqlite);
    [PostgresFact] public Task Screen_pop_lookups_use_their_indexes_on_postgres() => Lookups_use_their_indexes(StoreKind.Postgres);

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The hub store with the CRM tables, as a host composes it, migrated.</summary>
    internal static async Task<ServiceProvider> Store(TestDatabase database)
    {
        var provider = new ServiceCollection().AddLogging().AddHubStore(database.Options).AddCrmStore().BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        return provider;
    }

    private static async Task Survives_a_restart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var survivorId = Guid.NewGuid();
        var duplicateId = Guid.NewGuid();
        var contactId = Guid.NewGuid();
        await using (var first = await Store(database))
        {
            using var scope = first.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var survivor = Customer.Register(survivorId, new CustomerProfile("C-RESTART", "北京华信科技有限公司", CustomerKind.Dealer, Region: "华北",
                Phone: "+86 (010) 6552-1234"), "sales-li", Now);
            survivor.SetAttribute("fleet", "12");
            survivor.Grade(ValueGrade.A, CreditGrade.AA);
            var duplicate = Customer.Register(duplicateId, new CustomerProfile("C-DUP", "北京华信科技 公司", CustomerKind.Direct, Email: "dup@example.com"), "sales-li", Now);
            duplicate.SetAttribute("since", "2019");
            var contact = Contact.Add(contactId, duplicateId, new ContactDetails("王总", [new ContactPhone(PhoneKind.Mobile, "138-1234-5678"),
                new ContactPhone(PhoneKind.Office, "010 6552 1299 ext 8")], Birthday: new DateOnly(1970, 3, 21), DecisionRole: DecisionRole.DecisionMaker));
            db.AddRange(survivor, duplicate, contact);
            db.NextVersion(survivor);
            db.NextVersion(duplicate);
            db.NextVersion(contact);
            await db.SaveChangesAsync();

            // The merge as the endpoint carries it out: planned from an untracked copy, in one save.
            var planned = await db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == duplicateId);
            var plan = CustomerMerge.Plan(survivor, planned, new CustomerDependents([contactId], [], [], []), Now.AddDays(1), "sup-zhao");
            contact.MoveToCustomer(survivorId);
            survivor.Absorb(plan);
            duplicate.RetireInto(plan);
            db.Add(plan.Merged);
            db.NextVersion(survivor);
            await db.SaveChangesAsync();
        }

        await using var second = await Store(database);
        Assert.Empty(await second.GetRequiredService<HubSchemaMigrator>().MigrateAsync());
        using var scope2 = second.CreateScope();
        var store = scope2.ServiceProvider.GetRequiredService<HubDbContext>();
        var loaded = await store.Set<Customer>().SingleAsync(c => c.Id == survivorId);
        // The phone key reads back as its blind index: the normalised number's keyed hash, never the number.
        var keys = second.GetRequiredService<ColumnKeyRing>();
        Assert.Equal(("C-RESTART", CustomerKind.Dealer, "华北", keys.BlindIndex("1065521234"), "北京华信科技"), (loaded.Code, loaded.Kind, loaded.Region, loaded.PhoneKey, loaded.NameKey));
        Assert.Equal("+86 (010) 6552-1234", loaded.Phone);
        Assert.Equal((ValueGrade.A, CreditGrade.AA, "dup@example.com"), (loaded.ValueGrade, loaded.CreditGrade, loaded.Email));
        Assert.Equal(["fleet=12", "since=2019"], loaded.Attributes.Select(a => $"{a.Key}={a.Value}").Order());
        Assert.Equal(2, store.VersionOf(loaded));
        Assert.Equal(Now, loaded.RegisteredAt);
        var retired = await store.Set<Customer>().SingleAsync(c => c.Id == duplicateId);
        Assert.Equal(survivorId, retired.MergedIntoId);
        Assert.Equal(["since=2019"], retired.Attributes.Select(a => $"{a.Key}={a.Value}"));
        var merge = await store.Set<CustomerMerged>().SingleAsync(m => m.DuplicateId == duplicateId);
        Assert.Equal((survivorId, "sup-zhao", Now.AddDays(1)), (merge.SurvivorId, merge.Actor, merge.At));
        Assert.Equal([contactId], merge.ContactIds);
        Assert.Contains("Email", merge.FieldsFilled);

        var contact2 = await store.Set<Contact>().SingleAsync(c => c.Id == contactId);
        Assert.Equal((survivorId, new DateOnly(1970, 3, 21), DecisionRole.DecisionMaker), (contact2.CustomerId, contact2.Birthday, contact2.DecisionRole));
        Assert.Equal(["Mobile 138-1234-5678", "Office 010 6552 1299 ext 8"], contact2.Phones.Select(p => $"{p.Kind} {p.Number}"));
        Assert.Equal([keys.BlindIndex("13812345678"), keys.BlindIndex("1065521299")], await store.Set<Contact>().SelectMany(c => c.Phones.Select(p => EF.Property<string>(p, "PhoneKey"))).ToListAsync());
        Assert.Equal([contactId], await store.Set<Contact>().Where(c => c.Birthday != null && c.Birthday.Value.Month == 3).Select(c => c.Id).ToListAsync());

        // The lookups the REST API runs, on this store.
        var all = CustomerQueries.All(store);
        var agent = new MobileCaller("agent", MobileRoles.Manager, "", "", "test");
        var byCaller = await CustomerQueries.ScreenPopByCallerAsync(store, all, "0086 138 1234 5678", agent, CancellationToken.None);
        Assert.Equal([survivorId], byCaller.Customers.Select(c => c.CustomerId));
        Assert.Equal([contactId], byCaller.Contacts.Select(c => c.ContactId));
        var byOwnPhone = await CustomerQueries.ScreenPopByCallerAsync(store, all, "010-65521234", agent, CancellationToken.None);
        Assert.Equal([survivorId], byOwnPhone.Customers.Select(c => c.CustomerId));
        var byName = await CustomerQueries.ScreenPopByNameAsync(all, "北京华", agent, CancellationToken.None);
        Assert.Equal([survivorId], byName.Customers.Select(c => c.CustomerId));
        Assert.Empty((await CustomerQueries.ScreenPopByNameAsync(all, "北京华信科技有", agent, CancellationToken.None)).Customers);
    }

    private static async Task Lookups_use_their_indexes(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        // Two index keys, as during an index-key rotation: a lookup matches the number's index under either.
        var keys = ColumnEncryptionOptions.Generate();
        keys.IndexKeys["i2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var provider = new ServiceCollection().AddLogging().AddHubStore(new HubStoreOptions
        {
            Provider = database.Options.Provider, SqlitePath = database.Options.SqlitePath,
            PostgresConnectionString = database.Options.PostgresConnectionString, ColumnEncryption = keys,
        }).AddCrmStore().BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var all = CustomerQueries.All(db);
        var key = db.ColumnKeys!.BlindIndexes("1065521234");
        Assert.Equal(2, key.Count);
        var byPhone = all.Where(c => key.Contains(c.PhoneKey) && c.MergedIntoId == null);
        var byContactPhone = db.Set<Contact>().SelectMany(c => c.Phones.Where(p => key.Contains(EF.Property<string>(p, "PhoneKey"))), (c, _) => c.Id);
        var byName = all.NameKeyStartsWith("北京华").OrderBy(c => c.NameKey);

        Assert.Contains("ix_crm_customer_phone_key", await Explain(db, byPhone));
        Assert.Contains("ix_crm_contact_phone_key", await Explain(db, byContactPhone));
        Assert.Contains("ix_crm_customer_name_key", await Explain(db, byName));
        // The customers of a caller: their own phone, or one of their contacts' (both indexes, no scan).
        var contactsCustomers = new[] { Guid.NewGuid() };
        Assert.Contains("ix_crm_customer_phone_key", await Explain(db, all.Where(c => c.MergedIntoId == null && (key.Contains(c.PhoneKey) || contactsCustomers.Contains(c.Id)))));
    }

    /// <summary>
    /// The store's plan of <paramref name="query"/>. On PostgreSQL sequential scans are priced out, so an empty
    /// table still shows whether an index can serve the query at all (with the wrong collation it could not).
    /// </summary>
    internal static async Task<string> Explain<T>(HubDbContext db, IQueryable<T> query)
    {
        var text = query.ToQueryString();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        var lines = text.Split('\n');
        foreach (Match m in Regex.Matches(text, @"^(?:-- |\.param set )(@\w+)[= ]'(.*?)'", RegexOptions.Multiline))
            AddParameter(command, m.Groups[1].Value, m.Groups[2].Value);
        // PostgreSQL's list parameters (Contains over a list): -- @ids={ 'guid', … } or -- @indexes={ 'bix1:…', … }
        foreach (Match m in Regex.Matches(text, @"^-- (@\w+)=\{ (.*) \}", RegexOptions.Multiline))
        {
            var values = m.Groups[2].Value.Split(", ").Select(v => v.Trim('\'')).ToArray();
            AddParameter(command, m.Groups[1].Value, values.All(v => Guid.TryParse(v, out _)) ? values.Select(Guid.Parse).ToArray() : (object)values);
        }
        var sql = string.Join('\n', lines.Where(l => !l.StartsWith("-- ") && !l.StartsWith(".param")));
        var postgres = db.Database.IsNpgsql();
        if (postgres)
        {
            await using var off = connection.CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }
        command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            plan.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        return string.Join('\n', plan);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>Handled command ids are forgotten after their retention, so the table stays bounded.</summary>
public sealed class HandledCommandCleanupTests
{
    [Fact]
    public async Task Commands_older_than_the_retention_are_removed_and_newer_ones_kept()
    {
        await using var database = TestDatabase.Sqlite();
        var services = new ServiceCollection().AddLogging().AddHubStore(database.Options).AddCrmStore();
        services.AddOptions<HandledCommandOptions>().Configure(o => o.Retention = TimeSpan.FromDays(30));
        services.AddSingleton<HandledCommandCleanup>();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        var old = Guid.NewGuid();
        var recent = Guid.NewGuid();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.AddRange(new HandledCommand { CommandId = old, EntityId = Guid.NewGuid(), Version = 1, HandledAt = DateTime.UtcNow.AddDays(-31) },
                new HandledCommand { CommandId = recent, EntityId = Guid.NewGuid(), Version = 1, HandledAt = DateTime.UtcNow.AddDays(-29) });
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await provider.GetRequiredService<HandledCommandCleanup>().PurgeAsync(CancellationToken.None));

        await using var check = provider.CreateAsyncScope();
        Assert.Equal([recent], await check.ServiceProvider.GetRequiredService<HubDbContext>().Set<HandledCommand>().Select(c => c.CommandId).ToListAsync());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
