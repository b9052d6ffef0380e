using Hub.Adapters.Push;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using Hub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Push;

/// <summary>
/// The live stream on both stores: one event per user and fact, numbered without gaps, events from before the dedupe key
/// keep theirs apart, and a copy racing the first waits for it and is skipped with its transaction still usable.
/// </summary>
public sealed class PushStreamStoreTests
{
    [Fact] public Task Republished_fact_is_streamed_once_without_a_gap_on_sqlite() => Republished_fact_is_streamed_once(StoreKind.Sqlite);
    [PostgresFact] public Task Republished_fact_is_streamed_once_without_a_gap_on_postgres() => Republished_fact_is_streamed_once(StoreKind.Postgres);
    [Fact] public Task Events_recorded_before_dedupe_keys_stay_apart_on_sqlite() => Events_recorded_before_dedupe_keys_stay_apart(StoreKind.Sqlite);
    [PostgresFact] public Task Events_recorded_before_dedupe_keys_stay_apart_on_postgres() => Events_recorded_before_dedupe_keys_stay_apart(StoreKind.Postgres);

    /// <summary>
    /// The push module's schema before stream events had a dedupe key (its first four migrations). The mapping is today's (the
    /// store caches one model per module set); only raw SQL touches the old schema.
    /// </summary>
    private sealed class PushStoreBeforeDedupe : IHubStoreModel
    {
        public string Module => "push";
        public void Configure(ModelBuilder model) => new PushStoreModel().Configure(model);
        public IReadOnlyList<HubSchemaMigration> Migrations { get; } = new PushStoreModel().Migrations.Where(m => m.Version <= 4).ToArray();
    }

    private static async Task<ServiceProvider> Store(TestDatabase database, IHubStoreModel? model = null)
    {
        var provider = new ServiceCollection().AddLogging().AddHubStore(database.Options).AddSingleton(model ?? new PushStoreModel()).BuildServiceProvider();
        await provider.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        return provider;
    }

    private static PushEvent Event(string user, string key) =>
        new() { UserId = user, Kind = "order.status", Payload = "{}", CreatedAt = DateTimeOffset.UtcNow, DedupeKey = key };

    /// <summary>Appends an event for <paramref name="key"/> in a transaction of its own; whether it was added.</summary>
    private static async Task<bool> Append(ServiceProvider store, string user, string key)
    {
        await using var scope = store.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var added = await PushSequence.TryAppend(db, Event(user, key), CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return added;
    }

    private static async Task<List<(long Sequence, string Key)>> Stream(ServiceProvider store, string user)
    {
        await using var scope = store.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<PushEvent>().AsNoTracking()
            .Where(e => e.UserId == user).OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.DedupeKey }).ToListAsync())
            .Select(e => (e.Sequence, e.DedupeKey)).ToList();
    }

    private static async Task Republished_fact_is_streamed_once(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var store = await Store(database);
        const string approved = "order.status:1:Approved:100", approvedAgain = "order.status:1:Approved:200", closed = "order.status:1:Closed:300";

        Assert.True(await Append(store, "sales-li", approved));
        Assert.False(await Append(store, "sales-li", approved));
        // Another user's stream has its own facts.
        Assert.True(await Append(store, "sales-wang", approved));

        if (database.IsPostgres)
        {
            // A copy handled concurrently with the first: it waits on the user's cursor until the first commits, then finds it.
            await using var firstScope = store.CreateAsyncScope();
            var first = firstScope.ServiceProvider.GetRequiredService<HubDbContext>();
            await using var firstTransaction = await first.Database.BeginTransactionAsync();
            Assert.True(await PushSequence.TryAppend(first, Event("sales-li", approvedAgain), CancellationToken.None));
            await first.SaveChangesAsync();

            await using var copyScope = store.CreateAsyncScope();
            var copy = copyScope.ServiceProvider.GetRequiredService<HubDbContext>();
            await using var copyTransaction = await copy.Database.BeginTransactionAsync();
            var copyAdded = PushSequence.TryAppend(copy, Event("sales-li", approvedAgain), CancellationToken.None);
            await Eventually.Get(() => first.Database.SqlQueryRaw<int>(
                    "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync(),
                waiting => waiting >= 1, TimeSpan.FromSeconds(10), "the copy waiting on the cursor");
            await firstTransaction.CommitAsync();
            Assert.False(await copyAdded);
            // The copy's transaction is still usable: the consumer's outbox commits, and a later fact in it is numbered next.
            Assert.True(await PushSequence.TryAppend(copy, Event("sales-li", closed), CancellationToken.None));
            await copy.SaveChangesAsync();
            await copyTransaction.CommitAsync();
        }
        else
        {
            Assert.True(await Append(store, "sales-li", approvedAgain));
            Assert.True(await Append(store, "sales-li", closed));
        }
        Assert.False(await Append(store, "sales-li", closed));

        Assert.Equal([(1L, approved), (2L, approvedAgain), (3L, closed)], await Stream(store, "sales-li"));
        Assert.Equal([(1L, approved)], await Stream(store, "sales-wang"));
    }

    private static async Task Events_recorded_before_dedupe_keys_stay_apart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using (var before = await Store(database, new PushStoreBeforeDedupe()))
        {
            await using var scope = before.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            // The same status published twice, as the stream recorded it then; the schema of then has no dedupe key.
            foreach (var sequence in new[] { 1L, 2L })
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO mobile_push_event (\"UserId\", \"Kind\", \"Payload\", \"CreatedAt\", \"Sequence\") VALUES ('sales-li', 'order.status', 'null', {0}, {1})",
                    DateTimeOffset.UtcNow, sequence);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO mobile_push_cursor (\"UserId\", \"LastSequence\") VALUES ('sales-li', 2)");
        }

        await using var after = await Store(database);
        var kept = await Stream(after, "sales-li");
        Assert.Equal([1L, 2L], kept.Select(e => e.Sequence));
        Assert.Equal(2, kept.Select(e => e.Key).Distinct().Count());
        Assert.True(await Append(after, "sales-li", "order.status:1:Closed:300"));
        Assert.Equal(3L, (await Stream(after, "sales-li")).Last().Sequence);
    }
}
