using Hub.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hub.Infrastructure.Audit;

/// <summary>
/// Inserts audit rows with each provider's cheapest path, in the same shapes EF Core uses for the columns (so EF reads
/// them back): PostgreSQL binary COPY (uuid, timestamptz, float8, text); SQLite one prepared INSERT in one transaction
/// (Guid as upper-case TEXT, DateTime as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>).
/// </summary>
internal static class AuditBulkInsert
{
    private static readonly string[] Columns =
    [
        "MessageId", "MessageType", "ConversationId", "CorrelationId", "InitiatorId", "SourceAddress", "Endpoint", "SentAt", "ProcessedAt",
        "ProcessingMs", "Outcome", "Error", "BusinessKeys", "Headers", "Body",
    ];

    private static object?[] Values(AuditedMessage m) =>
    [
        m.MessageId, m.MessageType, m.ConversationId, m.CorrelationId, m.InitiatorId, m.SourceAddress, m.Endpoint, m.SentAt, m.ProcessedAt,
        m.ProcessingMs, m.Outcome, m.Error, m.BusinessKeys, m.Headers, m.Body,
    ];

    public static async Task InsertAsync(HubDbContext db, IReadOnlyList<AuditedMessage> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            switch (connection)
            {
                case NpgsqlConnection pg:
                    await CopyAsync(pg, rows, ct);
                    break;
                case SqliteConnection sqlite:
                    await InsertSqliteAsync(sqlite, rows, ct);
                    break;
                default:
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

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<AuditedMessage> rows, CancellationToken ct)
    {
        var columns = string.Join(", ", Columns.Select(c => $"\"{c}\""));
        await using var copy = await connection.BeginBinaryImportAsync($"COPY audit_message ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var value in Values(row))
            {
                if (value is null)
                    await copy.WriteNullAsync(ct);
                else
                    await copy.WriteAsync(value, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task InsertSqliteAsync(SqliteConnection connection, IReadOnlyList<AuditedMessage> rows, CancellationToken ct)
    {
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
        foreach (var row in rows)
        {
            var values = Values(row);
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
