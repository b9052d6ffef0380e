using Crm.Domain.Customers;

namespace Crm.Domain.Dealers;

/// <summary>The three measures of a dealer target (003 §3.2.5): units sold, sales amount, receipts.</summary>
/// <param name="Units">Units (台量).</param>
/// <param name="SalesAmount">Sales amount (销售额).</param>
/// <param name="Receipts">Money received (回款额).</param>
public sealed record TargetLevels(int Units, decimal SalesAmount, decimal Receipts)
{
    /// <summary>Nothing at all.</summary>
    public static TargetLevels Zero { get; } = new(0, 0m, 0m);

    /// <summary>Whether every measure of this is at least that of <paramref name="other"/>.</summary>
    public bool AtLeast(TargetLevels other) => Units >= other.Units && SalesAmount >= other.SalesAmount && Receipts >= other.Receipts;
}

/// <summary>The measures of a target, as flags so that a commission table can say which ones count.</summary>
[Flags]
public enum TargetMeasure
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Units sold.</summary>
    Units = 1,
    /// <summary>Sales amount.</summary>
    SalesAmount = 2,
    /// <summary>Money received.</summary>
    Receipts = 4,
    /// <summary>All three.</summary>
    All = Units | SalesAmount | Receipts,
}

/// <summary>
/// A dealer's target for a year or a month (003 §3.2.5 目标管理), agreed at three tiers (目标1/2/3)
/// that lead to different commission. Tiers never decrease: tier 2 asks at least tier 1 on every measure.
/// </summary>
public sealed class DealerTarget
{
    /// <summary>Number of tiers the seed asks for.</summary>
    public const int TierCount = 3;

    private DealerTarget() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>The dealer.</summary>
    public Guid DealerId { get; private set; }

    /// <summary>Year of the target.</summary>
    public int Year { get; private set; }

    /// <summary>Month (1–12) of a monthly target; <c>null</c> for the annual target.</summary>
    public int? Month { get; private set; }

    /// <summary>Tier 1, the lowest.</summary>
    public TargetLevels Tier1 { get; private set; } = TargetLevels.Zero;

    /// <summary>Tier 2.</summary>
    public TargetLevels Tier2 { get; private set; } = TargetLevels.Zero;

    /// <summary>Tier 3, the highest.</summary>
    public TargetLevels Tier3 { get; private set; } = TargetLevels.Zero;

    /// <summary>Who agreed it with the dealer (the channel department).</summary>
    public string AgreedBy { get; private set; } = "";

    /// <summary>First day of the period.</summary>
    public DateOnly StartsOn => new(Year, Month ?? 1, 1);

    /// <summary>Last day of the period.</summary>
    public DateOnly EndsOn => Month is { } m ? new DateOnly(Year, m, DateTime.DaysInMonth(Year, m)) : new DateOnly(Year, 12, 31);

    /// <summary>Whether <paramref name="day"/> falls in the period.</summary>
    public bool Covers(DateOnly day) => day >= StartsOn && day <= EndsOn;

    /// <summary>The levels of <paramref name="tier"/> (1 to 3).</summary>
    public TargetLevels Tier(int tier) => tier switch
    {
        1 => Tier1,
        2 => Tier2,
        3 => Tier3,
        _ => throw DomainRuleViolation.Of("tier", $"must be from 1 to {TierCount}"),
    };

    /// <summary>The annual target (年度销售目标).</summary>
    public static DealerTarget Annual(Guid id, Customer dealer, int year, TargetLevels tier1, TargetLevels tier2, TargetLevels tier3, string agreedBy) =>
        Create(id, dealer, year, null, tier1, tier2, tier3, agreedBy);

    /// <summary>A monthly target (月度销售目标).</summary>
    public static DealerTarget Monthly(Guid id, Customer dealer, int year, int month, TargetLevels tier1, TargetLevels tier2, TargetLevels tier3, string agreedBy) =>
        Create(id, dealer, year, month, tier1, tier2, tier3, agreedBy);

    /// <summary>Replaces the tiers, after a new agreement with the dealer.</summary>
    public void Revise(TargetLevels tier1, TargetLevels tier2, TargetLevels tier3, string agreedBy)
    {
        CheckTiers(new RuleCheck().RequireText(agreedBy, "agreedBy", 64), tier1, tier2, tier3).ThrowIfBroken();
        (Tier1, Tier2, Tier3, AgreedBy) = (tier1, tier2, tier3, agreedBy.Trim());
    }

    /// <summary>
    /// Moves the target to the dealer a duplicate was merged into. The merge was refused up front when the survivor has a
    /// target of the same period (<see cref="DealerMerge.Check"/>), so the move never makes two targets of one period.
    /// </summary>
    public void MoveToDealer(Guid dealerId) => DealerId = DealerMerge.RequireSurvivor(dealerId);

    private static DealerTarget Create(Guid id, Customer dealer, int year, int? month, TargetLevels tier1, TargetLevels tier2, TargetLevels tier3, string agreedBy)
    {
        CheckTiers(new RuleCheck()
                .Require(id != Guid.Empty, "targetId", "must not be empty")
                .RequireDealer(dealer)
                .Require(year is >= 2000 and <= 2100, "year", "must be from 2000 to 2100")
                .Require(month is null or (>= 1 and <= 12), "month", "must be from 1 to 12")
                .RequireText(agreedBy, "agreedBy", 64), tier1, tier2, tier3)
            .ThrowIfBroken();
        return new DealerTarget
        {
            Id = id, DealerId = dealer.Id, Year = year, Month = month, Tier1 = tier1, Tier2 = tier2, Tier3 = tier3, AgreedBy = agreedBy.Trim(),
        };
    }

    private static RuleCheck CheckTiers(RuleCheck check, TargetLevels tier1, TargetLevels tier2, TargetLevels tier3)
    {
        TargetLevels?[] tiers = [tier1, tier2, tier3];
        for (var i = 0; i < tiers.Length; i++)
        {
            var tier = tiers[i];
            check.Require(tier is not null, $"tier{i + 1}", "is required");
            if (tier is null)
                continue;
            check.Require(tier.Units >= 0, $"tier{i + 1}.units", "must not be negative")
                .Require(tier.SalesAmount >= 0 && tier.SalesAmount == decimal.Round(tier.SalesAmount, 2), $"tier{i + 1}.salesAmount", "must not be negative, in whole cents")
                .Require(tier.Receipts >= 0 && tier.Receipts == decimal.Round(tier.Receipts, 2), $"tier{i + 1}.receipts", "must not be negative, in whole cents")
                .Require(i == 0 || tiers[i - 1] is null || tier.AtLeast(tiers[i - 1]!), $"tier{i + 1}", $"must ask at least tier {i} on every measure");
        }
        return check;
    }
}
