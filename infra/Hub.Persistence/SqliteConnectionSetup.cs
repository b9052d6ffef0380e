using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hub.Persistence;

/// <summary>
/// Prepares every SQLite connection for several writers: a busy timeout (wait for the write lock instead of
/// failing) and, once per file, write-ahead logging (readers never block the writer, across processes too). And
/// <c>secure_delete</c>: what a write frees (a row deleted, a value rewritten sealed or under a new key) is overwritten
/// with zeros instead of lingering readable in free space, so <c>rotate-column-keys</c> leaves no value under the retired
/// key behind and a purge leaves no body. Its cost: freed bytes inside a page are zeroed in the page being written anyway
/// (no extra I/O); a page freed whole (a long body's overflow pages, a dropped table) is written once more, as zeros, so
/// deletes of large rows (audit and outbox purges, the audit in its own file) write about what they free; inserts and
/// reads cost nothing more.
/// </summary>
internal sealed class SqliteConnectionSetup(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private static readonly ConcurrentDictionary<string, bool> WalEnabled = new(StringComparer.Ordinal);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Execute(connection, Statements(connection));

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Statements(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Statements(DbConnection connection)
    {
        var sql = $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;";
        // journal_mode is stored in the file: switching once per process is enough (and is a no-op afterwards).
        if (WalEnabled.TryAdd(connection.DataSource, true))
            sql += " PRAGMA journal_mode = WAL;";
        return sql;
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
