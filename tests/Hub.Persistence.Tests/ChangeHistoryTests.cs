using Hub.Persistence.History;
using Hub.Persistence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hub.Persistence.Tests;

/// <summary>A record that keeps its history: every change with who, when, through what, before and after; as-of views; restores.</summary>
public sealed class ChangeHistoryTests
{
    [Fact] public Task Changes_are_recorded_shown_as_of_a_moment_and_restored_sqlite() => Scenario(StoreKind.Sqlite);
    [PostgresFact] public Task Changes_are_recorded_shown_as_of_a_moment_and_restored_postgres() => Scenario(StoreKind.Postgres);

    private static async Task Scenario(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var author = new SettableAuthor();
        using var host = Host.CreateDefaultBuilder().ConfigureServices(s =>
        {
            s.AddHubStore(database.Options);
            s.AddSingleton<IHubStoreModel, HistoryTestModel>();
            s.AddSingleton<IChangeAuthorSource>(author);
        }).Build();
        await host.StartAsync();
        var id = Guid.NewGuid();

        author.Current = new ChangeAuthor("sales-li", "rest");
        await Save(host, db => db.Add(new TrackedCustomer { Id = id, Name = "上海电信浦东分局", CreditGrade = "B" }));
        await Task.Delay(20); // distinct timestamps between the versions below
        var afterCreate = DateTime.UtcNow;
        await Task.Delay(20);

        var message = Guid.NewGuid();
        author.Current = new ChangeAuthor("erp-main", "soap", message);
        await Save(host, async db => (await db.Set<TrackedCustomer>().SingleAsync(c => c.Id == id)).CreditGrade = "A");
        await Save(host, async db => (await db.Set<TrackedCustomer>().SingleAsync(c => c.Id == id)).Name = "上海电信");
        // Untracked types leave no trace.
        await Save(host, db => db.Add(new UntrackedNote { Id = Guid.NewGuid(), Text = "x" }));

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var changes = await ChangeHistory.Of<TrackedCustomer>(db, id, CancellationToken.None);
            Assert.Equal(["added", "modified", "modified"], changes.Select(c => c.Operation));
            Assert.Equal(("sales-li", "rest", (Guid?)null), (changes[0].Actor, changes[0].Channel, changes[0].MessageId));
            Assert.Equal(("erp-main", "soap", (Guid?)message), (changes[1].Actor, changes[1].Channel, changes[1].MessageId));
            Assert.Null(changes[0].Before);
            Assert.Contains("\"CreditGrade\":\"B\"", changes[1].Before);
            Assert.Contains("\"CreditGrade\":\"A\"", changes[1].After);
            Assert.Equal(0, await db.Set<EntityChange>().CountAsync(c => c.EntityType == nameof(UntrackedNote)));

            var then = await ChangeHistory.AsOf<TrackedCustomer>(db, id, afterCreate, CancellationToken.None);
            Assert.Equal("B", then!.Values["CreditGrade"].GetString());
            Assert.Null(await ChangeHistory.AsOf<TrackedCustomer>(db, id, afterCreate.AddDays(-1), CancellationToken.None));
        }

        author.Current = new ChangeAuthor("ops-admin", "ops");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var customer = await db.Set<TrackedCustomer>().SingleAsync(c => c.Id == id);
            Assert.False(await ChangeHistory.RestoreAsync(db, customer, afterCreate.AddDays(-1), CancellationToken.None));
            Assert.True(await ChangeHistory.RestoreAsync(db, customer, afterCreate, CancellationToken.None));
            await db.SaveChangesAsync();
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var restored = await db.Set<TrackedCustomer>().AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal(("上海电信浦东分局", "B"), (restored.Name, restored.CreditGrade));
            var last = (await ChangeHistory.Of<TrackedCustomer>(db, id, CancellationToken.None)).Last();
            Assert.Equal(("restored", "ops-admin", "ops"), (last.Operation, last.Actor, last.Channel));
            Assert.StartsWith("restored to ", last.Note);
        }
        await host.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task Save(IHost host, Func<HubDbContext, Task> change)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    }

    private static Task Save(IHost host, Action<HubDbContext> change) => Save(host, db => { change(db); return Task.CompletedTask; });

    private sealed class SettableAuthor : IChangeAuthorSource
    {
        public ChangeAuthor? Current { get; set; }
    }
}

public sealed class TrackedCustomer
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string CreditGrade { get; set; } = "";
    public int Version { get; set; }
}

public sealed class UntrackedNote
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}

public sealed class HistoryTestModel : IHubStoreModel
{
    public string Module => "history-test";

    public void Configure(ModelBuilder model)
    {
        model.Entity<TrackedCustomer>(e =>
        {
            e.ToTable("history_test_customer");
            e.HasKey(c => c.Id);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.KeepsHistory();
        });
        model.Entity<UntrackedNote>(e =>
        {
            e.ToTable("history_test_note");
            e.HasKey(c => c.Id);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("history-test", 1, "create tables", m =>
        {
            m.CreateTable("history_test_customer", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(nullable: false),
                CreditGrade = t.Column<string>(nullable: false),
                Version = t.Column<int>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_history_test_customer", x => x.Id));
            m.CreateTable("history_test_note", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Text = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_history_test_note", x => x.Id));
        }),
    ];
}
