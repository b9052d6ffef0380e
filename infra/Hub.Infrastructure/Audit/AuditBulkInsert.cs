using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hub.Infrastructure.Audit;

/// <summary>
/// Inserts audit rows with each provider's cheapest path, in the same shapes EF Core uses for the columns (so EF reads
/// them back): PostgreSQL binary COPY (uuid, timestamptz, float8, text); SQLite one prepared INSERT in one transaction
/// (Guid as upper-case TEXT, DateTime as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>). Headers and body are sealed here with the
/// column keys, as EF's converters would seal them (the bulk paths bypass EF), so EF reads them back open.
/// </summary>
internal static class AuditBulkInsert
{
    private static readonly string[] Columns =
    [
        "MessageId", "MessageType", "ConversationId", "CorrelationId", "InitiatorId", "SourceAddress", "Endpoint", "SentAt", "ProcessedAt",
        "ProcessingMs", "Outcome", "Error", "BusinessKeys", "Headers", "Body",
    ];

    private static object?[] Values(AuditedMessage m, ColumnKeyRing keys) =>
    [
        m.MessageId, m.MessageType, m.ConversationId, m.CorrelationId, m.InitiatorId, m.SourceAddress, m.Endpoint, m.SentAt, m.ProcessedAt,
        m.ProcessingMs, m.Outcome, m.Error, m.BusinessKeys, keys.Encrypt(m.Headers), keys.Encrypt(m.Body),
    ];

    public static async Task InsertAsync(HubDbContext db, IReadOnlyList<AuditedMessage> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var keys = db.RequiredColumnKeys;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            switch (connection)
            {
                case NpgsqlConnection pg:
                    await CopyAsync(pg, rows, keys, ct);
                    break;
                case SqliteConnection sqlite:
                    await InsertSqliteAsync(sqlite, rows, keys, ct);
                    break;
                default:
                    // EF's converters seal headers and body on this path.
                    db.Set<AuditedMessage>().AddRange(rows);
                    await db.SaveChangesAsync(ct);
                    break;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<AuditedMessage> rows, ColumnKeyRing keys, CancellationToken ct)
    {
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        await using var copy = await connection.BeginBinaryImportAsync($"COPY audit_message ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var value in Values(row, keys))
            {
                if (value is null)
                    await copy.WriteNullAsync(ct);
                else
                    await copy.WriteAsync(value, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task InsertSqliteAsync(SqliteConnection connection, IReadOnlyList<AuditedMessage> rows, ColumnKeyRing keys, CancellationToken ct)
    {
        // Sealed before the write lock is taken, so encryption does not lengthen the time the flow's commits wait.
        var sealedRows = rows.Select(row => Values(row, keys)).ToList();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO audit_message ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) "
                             + $"VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))})";
        var parameters = Columns.Select((_, i) => insert.CreateParameter()).ToArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].ParameterName = "$p" + i;
            insert.Parameters.Add(parameters[i]);
        }
        insert.Prepare();
        foreach (var values in sealedRows)
        {
            for (var i = 0; i < values.Length; i++)
                parameters[i].Value = SqliteValue(values[i]);
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The value as EF Core's SQLite provider stores it.</summary>
    private static object SqliteValue(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString().ToUpperInvariant(),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
