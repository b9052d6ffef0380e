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
}
