using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hub.Adapters.Push;

/// <summary>
/// Appends to a user's live stream, once per fact, numbered without gaps. The user's cursor row is locked first and stays
/// locked until the surrounding transaction (the consumer's outbox transaction) commits, so two events of one user are
/// numbered and committed in the same order, and a concurrent copy of the same fact waits for the first and then finds it.
/// </summary>
internal static class PushSequence
{
    /// <summary>
    /// Adds <paramref name="pushEvent"/> (numbered here) unless <see cref="PushEvent.UserId"/> already has an event with its
    /// <see cref="PushEvent.DedupeKey"/>; whether it was added. Saved with the caller's next <c>SaveChangesAsync</c>.
    /// </summary>
    public static async Task<bool> TryAppend(HubDbContext db, PushEvent pushEvent, CancellationToken ct)
    {
        // Lock before looking: under read committed the look after the lock sees a copy committed meanwhile, so the unique
        // index on (user, dedupe key) is never hit by a race (which on PostgreSQL would abort the whole outbox transaction),
        // and nothing is numbered for a copy (no gap for Last-Event-ID).
        await Scalar(db, pushEvent.UserId, ct,
            "INSERT INTO mobile_push_cursor (\"UserId\", \"LastSequence\") VALUES (@user, 0) " +
            "ON CONFLICT (\"UserId\") DO UPDATE SET \"LastSequence\" = mobile_push_cursor.\"LastSequence\" RETURNING \"LastSequence\"");
        if (await db.Set<PushEvent>().AnyAsync(e => e.UserId == pushEvent.UserId && e.DedupeKey == pushEvent.DedupeKey, ct))
            return false;
        pushEvent.Sequence = await Scalar(db, pushEvent.UserId, ct,
            "UPDATE mobile_push_cursor SET \"LastSequence\" = \"LastSequence\" + 1 WHERE \"UserId\" = @user RETURNING \"LastSequence\"");
        db.Add(pushEvent);
        return true;
    }

    private static async Task<long> Scalar(HubDbContext db, string userId, CancellationToken ct, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@user";
        parameter.Value = userId;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
