using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.CrmStore.Customers;
using Hub.CrmStore.Dealers;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using Hub.Tests.Customers;
using Hub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hub.Tests.Dealers;

/// <summary>
/// A ledger entry written at the very instant a dealer is merged away never stays under the duplicate: the writer resolves the
/// survivor inside its own transaction, and a merge retiring that dealer cannot commit between the writer's read and its write.
/// </summary>
public sealed class DealerLedgerMergeRaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact] public Task A_merge_cannot_retire_a_dealer_between_the_ledger_writers_read_and_write_on_sqlite() => Merge_waits_for_the_writer(StoreKind.Sqlite);
    [PostgresFact] public Task A_merge_cannot_retire_a_dealer_between_the_ledger_writers_read_and_write_on_postgres() => Merge_waits_for_the_writer(StoreKind.Postgres);

    /// <summary>
    /// The writer read the duplicate (not merged yet): until the writer commits, the merge cannot retire it. So the entry commits under
    /// the duplicate before the merge does, and the merge's ledger follower (<c>DealerMergeConsumer</c>, after the merge) moves it.
    /// </summary>
    private static async Task Merge_waits_for_the_writer(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var store = await CustomerStoreTests.Store(database);
        var (survivorId, duplicateId) = await TwoDealers(store);

        using var writerScope = store.CreateScope();
        var writer = writerScope.ServiceProvider.GetRequiredService<HubDbContext>();
        await using (var transaction = await writer.Database.BeginTransactionAsync())
        {
            var dealer = await writer.SurvivorForWriteAsync("D-DUP", CancellationToken.None);
            Assert.Equal(duplicateId, dealer?.Id);

            // The merge at this instant is held off (here: refused after a short wait) until the writer's transaction ends.
            await Assert.ThrowsAnyAsync<Exception>(() => Merge(store, database, survivorId, duplicateId, impatient: true));

            writer.Add(Entry(dealer!));
            await writer.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await Merge(store, database, survivorId, duplicateId, impatient: false);
        using var scope = store.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal(survivorId, (await db.Set<Customer>().SingleAsync(c => c.Id == duplicateId)).MergedIntoId);
        // Committed before the merge: the merge's follower finds it under the duplicate and moves it.
        Assert.Equal(duplicateId, (await db.Set<DealerAchievementEntry>().SingleAsync()).DealerId);
    }

    /// <summary>
    /// The merge retired the duplicate first but has not committed yet: the writer's read waits for it and files under the survivor.
    /// (On SQLite the writer cannot even begin its transaction while the merge holds the write lock, so only PostgreSQL, where reads
    /// do not wait by themselves, has something to show.)
    /// </summary>
    [PostgresFact]
    public async Task A_ledger_write_at_the_instant_of_a_merge_waits_for_it_and_files_under_the_survivor_on_postgres()
    {
        await using var database = await TestDatabase.Create(StoreKind.Postgres);
        await using var store = await CustomerStoreTests.Store(database);
        var (survivorId, duplicateId) = await TwoDealers(store);

        using var mergeScope = store.CreateScope();
        var merger = mergeScope.ServiceProvider.GetRequiredService<HubDbContext>();
        await using var merge = await merger.Database.BeginTransactionAsync();
        await Retire(merger, survivorId, duplicateId);

        var written = Task.Run(async () =>
        {
            using var writerScope = store.CreateScope();
            var writer = writerScope.ServiceProvider.GetRequiredService<HubDbContext>();
            await using var transaction = await writer.Database.BeginTransactionAsync();
            var dealer = await writer.SurvivorForWriteAsync("D-DUP", CancellationToken.None);
            writer.Add(Entry(dealer!));
            await writer.SaveChangesAsync();
            await transaction.CommitAsync();
            return dealer!.Id;
        });
        // The writer reached the duplicate's row and waits for the merge's lock on it.
        await using (var monitor = new NpgsqlConnection(database.Options.PostgresConnectionString))
        {
            await monitor.OpenAsync();
            await Eventually.Get(async () =>
            {
                await using var waiting = new NpgsqlCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", monitor);
                return (long)(await waiting.ExecuteScalarAsync())!;
            }, n => n > 0 || written.IsCompleted, TimeSpan.FromSeconds(30), "the ledger writer waiting on the merge");
        }
        await merge.CommitAsync();

        Assert.Equal(survivorId, await written);
        using var scope = store.CreateScope();
        Assert.Equal(survivorId, (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<DealerAchievementEntry>().SingleAsync()).DealerId);
    }

    private static async Task<(Guid Survivor, Guid Duplicate)> TwoDealers(ServiceProvider store)
    {
        using var scope = store.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var survivor = Customer.Register(Guid.NewGuid(), new CustomerProfile("D-SURV", "华北改装", CustomerKind.Dealer), "sales-li", Now);
        var duplicate = Customer.Register(Guid.NewGuid(), new CustomerProfile("D-DUP", "华北改装公司", CustomerKind.Dealer), "sales-li", Now);
        db.AddRange(survivor, duplicate);
        db.NextVersion(survivor);
        db.NextVersion(duplicate);
        await db.SaveChangesAsync();
        return (survivor.Id, duplicate.Id);
    }

    /// <summary>The merge's own write, as <c>MergeCustomersConsumer</c> makes it, in one transaction; <paramref name="impatient"/> gives up on a lock quickly.</summary>
    private static async Task Merge(ServiceProvider store, TestDatabase database, Guid survivorId, Guid duplicateId, bool impatient)
    {
        using var scope = store.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        if (impatient && !database.IsPostgres)
        {
            // The store waits out a busy database (busy_timeout): this connection gives up after a moment instead.
            await db.Database.OpenConnectionAsync();
            ((SqliteConnection)db.Database.GetDbConnection()).DefaultTimeout = 1;
            await db.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout = 300");
        }
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (impatient && database.IsPostgres)
            await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '500ms'");
        await Retire(db, survivorId, duplicateId);
        await transaction.CommitAsync();
    }

    private static async Task Retire(HubDbContext db, Guid survivorId, Guid duplicateId)
    {
        var survivor = await db.Set<Customer>().SingleAsync(c => c.Id == survivorId);
        var planned = await db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == duplicateId);
        var plan = CustomerMerge.Plan(survivor, planned, CustomerDependents.None, Now, "sup-zhao");
        survivor.Absorb(plan);
        var duplicate = await db.Set<Customer>().SingleAsync(c => c.Id == duplicateId);
        duplicate.RetireInto(plan);
        db.NextVersion(duplicate);
        db.Add(plan.Merged);
        db.NextVersion(survivor);
        await db.SaveChangesAsync();
    }

    private static DealerAchievementEntry Entry(Customer dealer) => new()
    {
        Id = Guid.NewGuid(), Source = DealerLedger.ErpReceiptSource, SourceId = Guid.NewGuid().ToString("N"), DealerId = dealer.Id, DealerCode = dealer.Code,
        On = new DateOnly(2026, 11, 22), Year = 2026, Month = 11, Receipts = 500m, Reference = "SO-RACE", RecordedAt = DateTime.UtcNow,
    };
}
