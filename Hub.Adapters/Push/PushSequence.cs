using System.Data.Common;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hub.Adapters.Push;

/// <summary>
/// Numbers a user's push events. The increment locks the user's cursor row until the surrounding transaction (the
/// consumer's outbox transaction) commits, so two events of one user are numbered and committed in the same order.
/// </summary>
internal static class PushSequence
{
    public static async Task<long> Next(HubDbContext db, string userId, CancellationToken ct)
    {
        if (await Increment(db, userId, ct) is { } next)
            return next;
        // First event of this user. A concurrent first insert loses on the key and the message is retried.
        db.Add(new PushCursor { UserId = userId, LastSequence = 1 });
        await db.SaveChangesAsync(ct);
        return 1;
    }

    private static async Task<long?> Increment(HubDbContext db, string userId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "UPDATE mobile_push_cursor SET \"LastSequence\" = \"LastSequence\" + 1 WHERE \"UserId\" = @user RETURNING \"LastSequence\"";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@user";
        parameter.Value = userId;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value) : null;
    }
}
