using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hub.Persistence;

/// <summary>
/// Applies the not-yet-applied <see cref="HubSchemaMigration"/>s: the infrastructure's own (module <c>hub</c>)
/// first, then each registered <see cref="IHubStoreModel"/>'s in registration order, each module by ascending
/// version. SQL comes from EF's <see cref="IMigrationsSqlGenerator"/> for the active provider. Safe when several
/// processes start at once: PostgreSQL holds <c>pg_advisory_lock</c> while migrating; SQLite migrates inside one
/// <c>BEGIN IMMEDIATE</c> transaction (the database write lock), so a second process waits and then finds
/// everything applied.
/// </summary>
public sealed class HubSchemaMigrator(IServiceScopeFactory scopes, IEnumerable<IHubStoreModel> modules, ILogger<HubSchemaMigrator> logger)
{
    // Arbitrary constant identifying the hub's migration lock within the database (0x485542534348454D, "HUBSCHEM").
    private const string LockSql = "SELECT pg_advisory_lock(5212145069129745741)";
    private const string UnlockSql = "SELECT pg_advisory_unlock(5212145069129745741)";

    /// <summary>All migrations in the order they are applied; throws on duplicate modules or versions.</summary>
    public IReadOnlyList<HubSchemaMigration> Plan()
    {
        var all = new List<HubSchemaMigration>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sources = new[] { (HubInfrastructureModel.ModuleName, HubInfrastructureModel.Migrations) }
            .Concat(modules.Select(m => (m.Module, m.Migrations)));
        foreach (var (module, migrations) in sources)
        {
            if (string.IsNullOrWhiteSpace(module))
                throw new InvalidOperationException("An IHubStoreModel has an empty Module name.");
            if (!seen.Add(module))
                throw new InvalidOperationException($"Store module '{module}' is registered twice (or uses the reserved name 'hub').");
            foreach (var migration in migrations)
            {
                if (migration.Module != module)
                    throw new InvalidOperationException($"Migration {migration.Module}/{migration.Version} '{migration.Name}' is listed by module '{module}'.");
                if (migration.Version <= 0)
                    throw new InvalidOperationException($"Migration {module}/{migration.Version} '{migration.Name}' must have a positive version.");
            }
            var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new InvalidOperationException($"Store module '{module}' has two migrations with version {duplicate.Key}.");
            all.AddRange(migrations.OrderBy(m => m.Version));
        }
        return all;
    }

    /// <summary>Applies pending migrations and returns the ones this call applied (empty when up to date).</summary>
    public async Task<IReadOnlyList<HubSchemaMigration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var plan = Plan();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var applied = new List<HubSchemaMigration>();
        if (db.Database.IsNpgsql())
            applied.AddRange(await MigratePostgres(db, plan, cancellationToken));
        else
        {
            // Modules with a SQLite file of their own are migrated in that file (its own version table), then the main file.
            var store = scope.ServiceProvider.GetRequiredService<HubModuleStore>();
            var elsewhere = new HashSet<string>(StringComparer.Ordinal);
            var mainRewritten = false;
            foreach (var file in store.OwnFiles())
            {
                var here = file.Select(m => m.Module).ToHashSet(StringComparer.Ordinal);
                elsewhere.UnionWith(here);
                await using (var own = store.OpenFile(file.Key))
                {
                    var ownApplied = await MigrateSqlite(own, plan.Where(m => here.Contains(m.Module)).ToList(), cancellationToken);
                    applied.AddRange(ownApplied);
                    if (ownApplied.Any(m => m.Data is not null))
                        await DropFreedPlaintext(own, cancellationToken);
                }
                // The moved rows were sealed in the main file before they left it: what they were lies in its free pages.
                mainRewritten |= await MoveOutOfMainFile(db, file.Key, here, cancellationToken);
            }
            var mainApplied = await MigrateSqlite(db, plan.Where(m => !elsewhere.Contains(m.Module)).ToList(), cancellationToken);
            applied.AddRange(mainApplied);
            if (mainRewritten || mainApplied.Any(m => m.Data is not null))
                await DropFreedPlaintext(db, cancellationToken);
        }
        foreach (var m in applied)
            logger.LogInformation("Applied schema migration {Module}/{Version} {Name}", m.Module, m.Version, m.Name);
        return applied;
    }

    /// <summary>
    /// A store written before <paramref name="modules"/> had their own file keeps their tables in the main file: their rows
    /// move to the own file (rows already there are kept: a move interrupted between the files is finished, not doubled),
    /// the main file's copies and version entries are dropped. The rows were written before their columns were sealed
    /// (the own file's data steps ran on its empty tables), so they are sealed in the main file first: whenever the
    /// process dies, a row reaches the own file sealed, and a restart seals what is left and moves again. Returns whether it moved anything.
    /// </summary>
    private static async Task<bool> MoveOutOfMainFile(HubDbContext main, string file, IReadOnlySet<string> modules, CancellationToken ct)
    {
        var connection = main.Database.GetDbConnection();
        await main.Database.OpenConnectionAsync(ct);
        try
        {
            var names = string.Join(", ", modules.Select(m => $"'{m.Replace("'", "''")}'"));
            var hasVersions = await Scalar(main, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{HubInfrastructureModel.VersionsTable}'", ct) > 0;
            if (!hasVersions || await Scalar(main, $"SELECT COUNT(*) FROM {HubInfrastructureModel.VersionsTable} WHERE module IN ({names})", ct) == 0)
                return false;
            await Run(connection, null, $"ATTACH DATABASE '{Path.GetFullPath(file).Replace("'", "''")}' AS own_file", ct);
            try
            {
                var tables = new List<string>();
                await using (var list = connection.CreateCommand())
                {
                    list.CommandText = "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'hub\\_%' ESCAPE '\\' "
                                       + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                       + "AND name IN (SELECT name FROM own_file.sqlite_master WHERE type = 'table')";
                    await using var reader = await list.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                        tables.Add(reader.GetString(0));
                }
                await Encryption.ColumnKeyRotation.RunAsync(main, plaintextOnly: true, tables, ct: ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                foreach (var table in tables)
                {
                    await Run(connection, transaction, $"INSERT OR IGNORE INTO own_file.\"{table}\" SELECT * FROM main.\"{table}\"", ct);
                    await Run(connection, transaction, $"DROP TABLE main.\"{table}\"", ct);
                }
                await Run(connection, transaction, $"DELETE FROM main.{HubInfrastructureModel.VersionsTable} WHERE module IN ({names})", ct);
                await transaction.CommitAsync(ct);
                return true;
            }
            finally
            {
                await Run(connection, null, "DETACH DATABASE own_file", CancellationToken.None);
            }
        }
        finally
        {
            await main.Database.CloseConnectionAsync();
        }
    }

    private static async Task Run(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// After a data step rewrote rows (sealing plaintext) or tables moved out of the file: what the file held before may still
    /// lie in its free pages (rows an older hub deleted or rewrote, whole dropped tables) and in stale frames of its
    /// write-ahead log, readable with a hex editor. VACUUM rewrites the file from its live rows only, and the TRUNCATE
    /// checkpoint empties the log. It costs one rewrite of the file (time and, briefly, twice its size on disk) under the
    /// write lock, once per upgrade that seals a column, before the host serves; a migration run with no data step skips it.
    /// (Every connection also runs with <c>secure_delete</c>, see <see cref="SqliteConnectionSetup"/>, for later rewrites.)
    /// </summary>
    private static async Task DropFreedPlaintext(HubDbContext db, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("VACUUM", ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
    }

    private static async Task<List<HubSchemaMigration>> MigrateSqlite(HubDbContext db, IReadOnlyList<HubSchemaMigration> plan, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite begins transactions IMMEDIATE: this takes the write lock for the whole run.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var exists = await Scalar(db, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{HubInfrastructureModel.VersionsTable}'", ct) > 0;
        var pending = await Pending(db, plan, exists, ct);
        foreach (var migration in pending)
            await Apply(db, migration, ct);
        await transaction.CommitAsync(ct);
        return pending;
    }

    private static async Task<List<HubSchemaMigration>> MigratePostgres(HubDbContext db, IReadOnlyList<HubSchemaMigration> plan, CancellationToken ct)
    {
        await EnsurePostgresDatabase(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync(LockSql, ct);
            var completed = false;
            try
            {
                var exists = await Scalar(db,
                    $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{HubInfrastructureModel.VersionsTable}'", ct) > 0;
                var pending = await Pending(db, plan, exists, ct);
                foreach (var migration in pending)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    await Apply(db, migration, ct);
                    await transaction.CommitAsync(ct);
                }
                completed = true;
                return pending;
            }
            finally
            {
                try
                {
                    await db.Database.ExecuteSqlRawAsync(UnlockSql, CancellationToken.None);
                }
                catch (DbException) when (!completed)
                {
                    // Report the migration's own failure; closing the session releases the lock anyway.
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task EnsurePostgresDatabase(HubDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct))
            return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another process created it first.
        }
    }

    private static async Task<List<HubSchemaMigration>> Pending(HubDbContext db, IReadOnlyList<HubSchemaMigration> plan, bool versionsTableExists,
        CancellationToken ct)
    {
        if (!versionsTableExists)
        {
            await Execute(db, HubInfrastructureModel.CreateVersionsTable, ct);
            return plan.ToList();
        }
        var applied = (await db.SchemaVersions.AsNoTracking().Select(v => new { v.Module, v.Version }).ToListAsync(ct))
            .Select(v => (v.Module, v.Version))
            .ToHashSet();
        return plan.Where(m => !applied.Contains((m.Module, m.Version))).ToList();
    }

    private static async Task Apply(HubDbContext db, HubSchemaMigration migration, CancellationToken ct)
    {
        try
        {
            await Execute(db, migration.Up, ct);
            if (migration.Data is not null)
                await migration.Data(db, ct);
        }
        catch (DbException ex)
        {
            throw new InvalidOperationException($"Schema migration {migration.Module}/{migration.Version} '{migration.Name}' failed: {ex.Message}", ex);
        }
        db.SchemaVersions.Add(new HubSchemaVersion
        {
            Module = migration.Module,
            Version = migration.Version,
            Name = migration.Name,
            AppliedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(ct);
    }

    private static async Task Execute(HubDbContext db, Action<MigrationBuilder> up, CancellationToken ct)
    {
        var builder = new MigrationBuilder(db.Database.ProviderName);
        up(builder);
        var commands = db.GetService<IMigrationsSqlGenerator>().Generate(builder.Operations);
        var connection = db.GetService<IRelationalConnection>();
        foreach (var command in commands)
            await command.ExecuteNonQueryAsync(connection, cancellationToken: ct);
    }

    private static async Task<long> Scalar(HubDbContext db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
