using Crm.Domain.Dealers;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore.Dealers;

/// <summary>Reads of the achievement ledger: a dealer's facts for a target's period, measured by the domain.</summary>
public static class DealerLedger
{
    /// <summary>Ledger sources.</summary>
    public const string OrderSource = "order", ErpReceiptSource = "erp-receipt", BillingPaymentSource = "billing-payment";

    /// <summary>Shadow column of a stored <see cref="DealerTarget"/>: its month, 0 for the annual target, so one unique index covers both.</summary>
    public const string TargetPeriod = "Period";

    /// <summary>The target of a dealer for a year (<paramref name="month"/> null) or a month.</summary>
    public static IQueryable<DealerTarget> ForPeriod(this IQueryable<DealerTarget> targets, Guid dealerId, int year, int? month)
    {
        var period = month ?? 0;
        return targets.Where(t => t.DealerId == dealerId && t.Year == year && EF.Property<int>(t, TargetPeriod) == period);
    }

    /// <summary>The ledger entries of <paramref name="dealerIds"/> in <paramref name="year"/> (and <paramref name="month"/> when given).</summary>
    public static Task<List<DealerAchievementEntry>> EntriesAsync(HubDbContext db, IReadOnlyCollection<Guid> dealerIds, int year, int? month, CancellationToken ct) =>
        db.Set<DealerAchievementEntry>().AsNoTracking()
            .Where(e => dealerIds.Contains(e.DealerId) && e.Year == year && (month == null || e.Month == month))
            .ToListAsync(ct);

    /// <summary>
    /// The achievement of <paramref name="target"/> from <paramref name="entries"/> (those outside its dealer or period are left out).
    /// Sums are taken here, not in SQL: SQLite keeps decimals as text.
    /// </summary>
    public static TargetAchievement Measure(DealerTarget target, IEnumerable<DealerAchievementEntry> entries)
    {
        var own = entries.Where(e => e.DealerId == target.DealerId).ToArray();
        return TargetAchievement.Measure(target,
            own.Where(e => e.Source == OrderSource).Select(e => new SaleFact(e.On, e.Units, e.SalesAmount)),
            own.Where(e => e.Source != OrderSource).Select(e => new ReceiptFact(e.On, e.Receipts)));
    }

    /// <summary>What <paramref name="entries"/> of one dealer add up to.</summary>
    public static TargetLevels Total(IEnumerable<DealerAchievementEntry> entries)
    {
        var list = entries as IReadOnlyCollection<DealerAchievementEntry> ?? entries.ToArray();
        return new TargetLevels(list.Sum(e => e.Units), list.Sum(e => e.SalesAmount), list.Sum(e => e.Receipts));
    }
}
