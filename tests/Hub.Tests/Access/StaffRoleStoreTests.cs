using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Hub.Tests.Ops;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hub.Tests.Access;

/// <summary>Moving roles into the one store of staff roles, on both stores: every mobile user keeps the role they had.</summary>
public sealed class StaffRoleStoreTests
{
    [Theory]
    [MemberData(nameof(AuditBulkInsertTests.Stores), MemberType = typeof(AuditBulkInsertTests))]
    public async Task An_upgraded_store_grants_each_existing_mobile_user_their_role_in_staff_role(string store)
    {
        await OnStoreAsync(store, async options =>
        {
            // A store as it was before: mobile users with their role on the user, no staff_role rows for them.
            await using (var before = Store(options, new FirstMigrationOnly(new IdentityStoreModel())))
            {
                await before.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
                await using var scope = before.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                // Written as the first version's columns were (the mapping of today has more).
                await db.Database.ExecuteSqlRawAsync("INSERT INTO mobile_user (\"UserId\", \"DisplayName\", \"Role\", \"Office\", \"Region\", \"Phone\", "
                    + "\"PasswordHash\", \"FailedLogins\", \"LockedUntilTicks\", \"Suspended\") VALUES ('sup-old', 'sup-old', 'office-supervisor', 'sh', 'east', '13900000001', 'x', 0, 0, FALSE)");
                Assert.Empty(await StaffAuthority.RolesOfAsync(db, "sup-old", CancellationToken.None));
            }

            await using var after = Store(options, new IdentityStoreModel());
            await after.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
            await using var check = after.CreateAsyncScope();
            var upgraded = check.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.Equal([MobileRoles.OfficeSupervisor], await StaffAuthority.RolesOfAsync(upgraded, "sup-old", CancellationToken.None));
            // The staff account store's version: the password came from configuration, so the start-up import may renew it.
            Assert.Equal(StaffAccounts.Configuration, (await upgraded.Set<MobileUser>().SingleAsync(u => u.UserId == "sup-old")).PasswordSetBy);
            // The upgrade also sealed the phone written in clear, and it reads back as it was.
            var sealedUser = await upgraded.Set<MobileUser>().SingleAsync(u => u.UserId == "sup-old");
            Assert.Equal("13900000001", sealedUser.Phone);
            Assert.StartsWith("enc1:", await upgraded.Database.SqlQueryRaw<string>("SELECT \"Phone\" AS \"Value\" FROM mobile_user").SingleAsync());
        });
    }

    [Theory]
    [MemberData(nameof(AuditBulkInsertTests.Stores), MemberType = typeof(AuditBulkInsertTests))]
    public async Task Any_host_reads_a_staff_members_state_and_rights_on_both_stores(string store)
    {
        await OnStoreAsync(store, async options =>
        {
            await using var services = Store(options, new IdentityStoreModel());
            await services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var now = DateTimeOffset.UtcNow;
            MobileUser User(string id, string office, bool suspended = false) =>
                new() { UserId = id, DisplayName = id, Office = office, Region = "east", Phone = "", PasswordHash = "x", Suspended = suspended };
            db.AddRange(User("mgr", "o1"), User("dep", "o2"), User("sales", "o3"), User("gone", "o1", suspended: true));
            await db.SaveChangesAsync();
            await StaffAuthority.GrantAsync(db, "mgr", MobileRoles.Manager, "test", now, CancellationToken.None);
            await StaffAuthority.GrantAsync(db, "dep", MobileRoles.Salesperson, "test", now, CancellationToken.None);
            var lent = new StaffDelegation { Id = Guid.NewGuid(), DelegatorId = "mgr", DeputyId = "dep", Permissions = StaffPermissions.OrdersApprove, CreatedAt = now.UtcDateTime };
            db.Add(lent);
            await db.SaveChangesAsync();
            var catalog = StaffRoleCatalog.Default;

            var member = await StaffMembers.FindAsync(db, "dep", CancellationToken.None);
            Assert.Equal(("dep", "o2", "east", false), (member!.UserId, member.Office, member.Region, member.Suspended));
            Assert.True((await StaffMembers.FindAsync(db, "gone", CancellationToken.None))!.Suspended);
            Assert.Null(await StaffMembers.FindAsync(db, "nobody", CancellationToken.None));
            Assert.Contains(await StaffAuthority.GrantsOfAsync(db, catalog, member, now, CancellationToken.None),
                g => g.Permission == StaffPermissions.OrdersApprove && g.DelegatedBy == "mgr" && g.Covers("sales", "o3", "east"));
            Assert.Null(await StaffMembers.WhyNotAsync(db, catalog, "dep", StaffPermissions.OrdersApprove, "sales", now, CancellationToken.None));
            Assert.Contains("no longer an enabled", await StaffMembers.WhyNotAsync(db, catalog, "gone", StaffPermissions.OrdersApprove, "sales", now, CancellationToken.None));

            lent.RevokedAtTicks = now.UtcTicks;
            await db.SaveChangesAsync();
            Assert.Contains("no longer holds orders.approve",
                await StaffMembers.WhyNotAsync(db, catalog, "dep", StaffPermissions.OrdersApprove, "sales", now, CancellationToken.None));
            Assert.Null(await StaffMembers.WhyNotAsync(db, catalog, "mgr", StaffPermissions.OrdersApprove, "sales", now, CancellationToken.None));
        });
    }

    /// <summary>Runs <paramref name="test"/> on a fresh store of kind <paramref name="store"/>, removed afterwards.</summary>
    private static async Task OnStoreAsync(string store, Func<HubStoreOptions, Task> test)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-roles-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var database = "hubroles_" + Guid.NewGuid().ToString("N")[..12];
        var options = store == "postgres"
            ? new HubStoreOptions { Provider = HubStoreOptions.Postgres, PostgresConnectionString = await AuditBulkInsertTests.CreatePostgres(database),
                ColumnEncryption = Hub.Persistence.Encryption.ColumnEncryptionOptions.Generate() }
            : new HubStoreOptions { SqlitePath = Path.Combine(root, "hub.db") };
        try
        {
            await test(options);
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

    private static ServiceProvider Store(HubStoreOptions options, IHubStoreModel identity)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IHubStoreModel, StaffAuthorityStoreModel>();
        services.AddSingleton(identity);
        services.AddHubStore(options);
        return services.BuildServiceProvider();
    }

    /// <summary>The identity tables as their first version created them.</summary>
    private sealed class FirstMigrationOnly(IHubStoreModel model) : IHubStoreModel
    {
        public string Module => model.Module;
        public void Configure(ModelBuilder builder) => model.Configure(builder);
        public IReadOnlyList<HubSchemaMigration> Migrations => [model.Migrations[0]];
    }
}
