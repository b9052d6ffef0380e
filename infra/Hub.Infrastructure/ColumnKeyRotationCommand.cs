using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Infrastructure;

/// <summary>
/// <c>rotate-column-keys [--batch-size=500] [settings…]</c>: with the host's own settings (so the same keys), brings the
/// schema up to date, then re-encrypts every encrypted column of the host's store models (in every database of the
/// store, the audit's own SQLite file included), and the change history's copies, to <c>Hub:ColumnEncryption:ActiveKeyId</c>, and rebuilds the blind indexes under <c>ActiveIndexKeyId</c>. Safe
/// while the hub runs (a row written meanwhile is left as written; lookups find rows under every index key held, so they
/// are found before and after their index is rebuilt). Afterwards the keys no longer active can be removed.
/// </summary>
internal static class ColumnKeyRotationCommand
{
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<IHubModule> modules)
    {
        var batchSize = 500;
        var settings = new List<string>();
        foreach (var arg in args.Skip(1))
        {
            if (arg.StartsWith("--batch-size=", StringComparison.Ordinal))
            {
                if (!int.TryParse(arg["--batch-size=".Length..], out batchSize) || batchSize < 1)
                {
                    Console.Error.WriteLine("rotate-column-keys: --batch-size must be a positive number.");
                    return 2;
                }
            }
            else
                settings.Add(arg);
        }
        try
        {
            // The host as it would run (its store models, its keys), built but never started: nothing listens or consumes.
            await using var app = HubApp.Build([.. settings, "--urls=http://127.0.0.1:0"], "http://127.0.0.1:0", modules);
            await app.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
            var keys = app.Services.GetRequiredService<ColumnKeyRing>();
            // Every database of the store: on SQLite the audit keeps its own file.
            foreach (var db in app.Services.GetRequiredService<HubModuleStore>().OpenEachDatabase())
            {
                await using (db)
                {
                    foreach (var (table, rows) in await ColumnKeyRotation.RunAsync(db, plaintextOnly: false, batchSize: batchSize))
                        Console.WriteLine($"rotate-column-keys: {table}: {rows} rows rewritten");
                    // The rewritten pages' earlier versions (under the old keys) sit in SQLite's write-ahead log until it is
                    // checkpointed; empty it now, so a key retired after this run opens nothing left in the files.
                    if (db.Database.IsSqlite())
                    {
                        await db.Database.OpenConnectionAsync();
                        await using var checkpoint = db.Database.GetDbConnection().CreateCommand();
                        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                        // One row: busy (1 when a reader kept it from finishing), log frames, frames checkpointed.
                        if (Convert.ToInt32(await checkpoint.ExecuteScalarAsync()) != 0)
                            Console.WriteLine("rotate-column-keys: a running host still reads an older snapshot; its write-ahead log is emptied at its next checkpoint.");
                    }
                }
            }
            Console.WriteLine($"rotate-column-keys: every encrypted column is under key '{keys.ActiveKeyId}' and every blind index under '{keys.ActiveIndexKeyId}'; " +
                              $"keys other than these may now be removed ({string.Join(", ", keys.KeyIds.Where(k => k != keys.ActiveKeyId).DefaultIfEmpty("none"))}; " +
                              $"index keys {string.Join(", ", keys.IndexKeyIds.Where(k => k != keys.ActiveIndexKeyId).DefaultIfEmpty("none"))}).");
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException
                                       or System.Data.Common.DbException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            Console.Error.WriteLine($"rotate-column-keys failed: {ex.Message}");
            return 1;
        }
    }
}
