using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hub.Persistence;

/// <summary>
/// Prepares every SQLite connection for several writers: a busy timeout (wait for the write lock instead of
/// failing) and, once per file, write-ahead logging (readers never block the writer, across processes too).
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
        var sql = $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
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
