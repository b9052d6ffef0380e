using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hub.Persistence;

/// <summary>
/// Which store exceptions mean "another writer won, try again": the exceptions a message retry policy must
/// retry for the saga repository and the inbox/outbox to converge. They are
/// <see cref="ConcurrencyException"/> (MassTransit's; thrown by the hub saga repository for an update conflict on
/// <c>Version</c> or a concurrent insert of the same <c>CorrelationId</c>), <see cref="DbUpdateConcurrencyException"/>,
/// a <see cref="DbUpdateException"/> caused by a unique-key violation (two deliveries of one message creating its
/// inbox row), SQLite busy/locked and PostgreSQL transient errors (serialization failure, deadlock).
/// </summary>
public static class HubStoreConflicts
{
    /// <summary>True when <paramref name="exception"/> (or an inner exception) is a retryable store conflict.</summary>
    public static bool IsRetryable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case ConcurrencyException:
                case DbUpdateConcurrencyException:
                case DbUpdateException update when IsUniqueViolation(update):
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                case PostgresException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Adds the store conflicts to a retry policy that filters exceptions:
    /// <c>e.UseMessageRetry(r =&gt; { r.Intervals(50, 200, 500, 1000); r.HandleHubStoreConflicts(); })</c>.
    /// Not needed when the policy retries all exceptions.
    /// </summary>
    public static T HandleHubStoreConflicts<T>(this T configurator) where T : IExceptionConfigurator
    {
        configurator.Handle<Exception>(IsRetryable);
        return configurator;
    }

    /// <summary>True when <paramref name="exception"/> is a primary-key or unique-index violation: another writer inserted the same key first.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT (primary key / unique)
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
