using Crm.Domain.Customers;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore.Customers;

/// <summary>
/// Which customer a code stands for after merges: read models keyed by customer code use it for events that arrive after the
/// merge they should have followed (an order or ticket event of the duplicate delivered late), so nothing lands under the duplicate again.
/// </summary>
public static class CustomerSurvivors
{
    // Merges chain (a survivor may itself be merged later); the bound keeps a corrupt store from looping.
    private const int MaxHops = 8;

    /// <summary>The code of the customer that <paramref name="code"/> was merged into, followed to the end; the code itself when never merged or not on record.</summary>
    public static async Task<string> SurvivingCodeAsync(this DbContext db, string code, CancellationToken ct)
    {
        var current = await db.Set<Customer>().AsNoTracking().Where(c => c.Code == code).Select(c => new { c.Code, c.MergedIntoId }).FirstOrDefaultAsync(ct);
        for (var hops = 0; current?.MergedIntoId is { } survivor && hops < MaxHops; hops++)
        {
            var next = await db.Set<Customer>().AsNoTracking().Where(c => c.Id == survivor).Select(c => new { c.Code, c.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (next is null)
                break;
            current = next;
        }
        return current?.Code ?? code;
    }

    /// <summary>
    /// The customer <paramref name="code"/> stands for at this instant, for a write that files a record under it (the dealers'
    /// achievement ledger): its survivor, followed to the end, read inside the caller's transaction; null when the code is not on
    /// record. On PostgreSQL the customer's row is share-locked until that transaction ends, so a merge retiring it at the same
    /// instant cannot slip between this read and the write: either the merge waits for the write to commit (and the merge's
    /// followers then move what was written), or this read waits for the merge to commit and returns the survivor. On SQLite the
    /// caller's transaction already holds the database's write lock from its start (Microsoft.Data.Sqlite begins IMMEDIATE), which
    /// serialises it with the merge. Outside a transaction the lock ends with its statement: call it in the consumer's transaction.
    /// </summary>
    public static async Task<Customer?> SurvivorForWriteAsync(this DbContext db, string code, CancellationToken ct)
    {
        var id = await db.Set<Customer>().AsNoTracking().Where(c => c.Code == code).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        for (var hops = 0; id is { } current && hops <= MaxHops; hops++)
        {
            if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM crm_customer WHERE \"Id\" = {current} FOR SHARE", ct);
            // Read after the lock: a merge that committed while this waited shows here (each statement reads what is committed by then).
            var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == current, ct);
            if (customer?.MergedIntoId is not { } survivor)
                return customer;
            id = survivor;
        }
        return null;
    }
}
