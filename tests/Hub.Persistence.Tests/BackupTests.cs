using System.Data.Common;
using Hub.Persistence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hub.Persistence.Tests;

/// <summary>Online backup and restore of the whole store, through the documented command, on both stores.</summary>
public sealed class BackupTests
{
    [Fact] public Task Backup_taken_while_the_store_is_in_use_restores_it_as_it_was_sqlite() => Roundtrip(StoreKind.Sqlite);
    [PostgresFact] public Task Backup_taken_while_the_store_is_in_use_restores_it_as_it_was_postgres() => Roundtrip(StoreKind.Postgres);

    [Fact]
    public async Task A_backup_of_a_missing_store_or_a_missing_file_fails_with_the_reason()
    {
        var store = new HubStoreOptions { SqlitePath = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"), "hub.db") };
        Assert.Equal(1, await HubStoreBackup.RunCommandAsync(["backup", Path.GetTempFileName()], store));
        Assert.Equal(1, await HubStoreBackup.RunCommandAsync(["restore", "/no/such/backup.db"], store));
        Assert.Equal(2, await HubStoreBackup.RunCommandAsync(["backup"], store));
    }

    private static async Task Roundtrip(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var store = database.Options;
        if (kind == StoreKind.Sqlite)
            Directory.CreateDirectory(Path.GetDirectoryName(store.SqlitePath)!);
        var file = Path.Combine(Path.GetTempPath(), "hub-backup-" + Guid.NewGuid().ToString("N"), "hub.backup");
        try
        {
            // A module with its own SQLite file (the audit) is backed up and restored with the main file.
            await using var ownFile = kind == StoreKind.Sqlite
                ? await OpenFile(HubStoreOptions.SiblingOf(store.SqlitePath, "audit"))
                : null;
            if (ownFile is not null)
            {
                await Execute(ownFile, "CREATE TABLE audit_note (body text NOT NULL)");
                await Execute(ownFile, "INSERT INTO audit_note (body) VALUES ('OrderPlaced consumed')");
            }
            await using (var connection = await Open(store))
            {
                await Execute(connection, "CREATE TABLE customer_note (id integer PRIMARY KEY, body text NOT NULL)");
                await Execute(connection, "INSERT INTO customer_note (id, body) VALUES (1, '客户 C1001 首次来电'), (2, 'second')");
                // Online: the store stays open (and written to) while the backup runs.
                Assert.Equal(0, await HubStoreBackup.RunCommandAsync(["backup", file], store));
                await Execute(connection, "UPDATE customer_note SET body = 'changed after the backup' WHERE id = 1");
                await Execute(connection, "DELETE FROM customer_note WHERE id = 2");
            }
            if (kind == StoreKind.Sqlite)
                await Execute(ownFile!, "UPDATE audit_note SET body = 'changed after the backup'");
            Assert.True(new FileInfo(file).Length > 0);
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();

            Assert.Equal(0, await HubStoreBackup.RunCommandAsync(["restore", file], store));
            await using var restored = await Open(store);
            await using var query = restored.CreateCommand();
            query.CommandText = "SELECT body FROM customer_note ORDER BY id";
            var bodies = new List<string>();
            await using (var reader = await query.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    bodies.Add(reader.GetString(0));
            Assert.Equal(["客户 C1001 首次来电", "second"], bodies);
            if (ownFile is not null)
            {
                await ownFile.CloseAsync();
                SqliteConnection.ClearAllPools();
                await using var audit = await OpenFile(HubStoreOptions.SiblingOf(store.SqlitePath, "audit"));
                await using var note = audit.CreateCommand();
                note.CommandText = "SELECT body FROM audit_note";
                Assert.Equal("OrderPlaced consumed", await note.ExecuteScalarAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(Path.GetDirectoryName(file)!, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<DbConnection> OpenFile(string sqliteFile)
    {
        var connection = new SqliteConnection($"Data Source={sqliteFile}");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<DbConnection> Open(HubStoreOptions store)
    {
        DbConnection connection = store.Provider == HubStoreOptions.Postgres
            ? new NpgsqlConnection(store.PostgresConnectionString)
            : new SqliteConnection($"Data Source={store.SqlitePath}");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
