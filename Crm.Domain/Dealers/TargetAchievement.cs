using Crm.Domain.Orders;

namespace Crm.Domain.Dealers;

/// <summary>Units and amount of one sale to a dealer, on the day it counts.</summary>
/// <param name="On">The day the order was placed.</param>
/// <param name="Units">Units ordered.</param>
/// <param name="Amount">Order total.</param>
public sealed record SaleFact(DateOnly On, int Units, decimal Amount);

/// <summary>Money received from a dealer on a day.</summary>
/// <param name="On">Value date.</param>
/// <param name="Amount">Amount received.</param>
public sealed record ReceiptFact(DateOnly On, decimal Amount);

/// <summary>
/// Where a dealer's achievement comes from (003 §3.2.5: 目标完成数值来自于…订单中的销售额及回款额):
/// the orders the sales representatives placed for the dealer, and the money received on them.
/// </summary>
public static class DealerActivity
{
    // An order counts once approved, and stops counting if it ends without completing.
    private static readonly HashSet<string> CountedStates =
    [
        OrderStatus.Approved, OrderStatus.Fulfilling, OrderStatus.Auditing, OrderStatus.Audited,
        OrderStatus.Completed, OrderStatus.Archived, OrderStatus.Closed,
    ];

    /// <summary>The sales of the dealer's counted orders, on the local day each was placed.</summary>
    public static IReadOnlyList<SaleFact> SalesFrom(IEnumerable<Order> orders, string dealerCode) =>
        orders.Where(o => o.CustomerCode == dealerCode && CountedStates.Contains(o.Status))
            .Select(o => new SaleFact(DateOnly.FromDateTime(o.PlacedAt.DateTime), o.Items.Sum(i => i.Quantity), o.TotalAmount))
            .ToArray();

    /// <summary>Every receipt on the dealer's orders, whatever became of the order.</summary>
    public static IReadOnlyList<ReceiptFact> ReceiptsFrom(IEnumerable<Order> orders, string dealerCode) =>
        orders.Where(o => o.CustomerCode == dealerCode)
            .SelectMany(o => o.Receipts)
            .Select(r => new ReceiptFact(r.ReceivedOn, r.Amount))
            .ToArray();
}

/// <summary>How far one tier's target is reached, per measure, as actual ÷ target (1 when the tier asks nothing of a measure).</summary>
/// <param name="Tier">1 to 3.</param>
/// <param name="Units">Share of the units target.</param>
/// <param name="SalesAmount">Share of the sales amount target.</param>
/// <param name="Receipts">Share of the receipts target.</param>
public sealed record TierProgress(int Tier, decimal Units, decimal SalesAmount, decimal Receipts);

/// <summary>A dealer's achievement against one target: a pure function of the target and the facts.</summary>
/// <param name="TargetId">The target measured.</param>
/// <param name="Actual">What was achieved in the target's period.</param>
/// <param name="Tiers">Progress towards each tier.</param>
/// <param name="ReceiptRate">Receipts ÷ sales amount (回款率), rounded to four places; <c>null</c> without sales.</param>
/// <param name="Target">The target itself, to tell which tier is reached.</param>
public sealed record TargetAchievement(Guid TargetId, TargetLevels Actual, IReadOnlyList<TierProgress> Tiers, decimal? ReceiptRate, DealerTarget Target)
{
    /// <summary>Measures <paramref name="target"/>: facts outside its period are left out.</summary>
    public static TargetAchievement Measure(DealerTarget target, IEnumerable<SaleFact> sales, IEnumerable<ReceiptFact> receipts)
    {
        var inSales = sales.Where(s => target.Covers(s.On)).ToArray();
        var actual = new TargetLevels(
            inSales.Sum(s => s.Units),
            inSales.Sum(s => s.Amount),
            receipts.Where(r => target.Covers(r.On)).Sum(r => r.Amount));
        var tiers = Enumerable.Range(1, DealerTarget.TierCount).Select(t =>
        {
            var goal = target.Tier(t);
            return new TierProgress(t, Share(actual.Units, goal.Units), Share(actual.SalesAmount, goal.SalesAmount), Share(actual.Receipts, goal.Receipts));
        }).ToArray();
        decimal? rate = actual.SalesAmount == 0 ? null : decimal.Round(actual.Receipts / actual.SalesAmount, 4, MidpointRounding.AwayFromZero);
        return new TargetAchievement(target.Id, actual, tiers, rate, target);
    }

    /// <summary>
    /// The highest tier whose target is met on every measure in <paramref name="counted"/> (0: none).
    /// Since tiers never decrease, reaching a tier means reaching every tier below it.
    /// </summary>
    public int TierReached(TargetMeasure counted = TargetMeasure.All)
    {
        var reached = 0;
        for (var t = 1; t <= DealerTarget.TierCount; t++)
        {
            var goal = Target.Tier(t);
            var met = (!counted.HasFlag(TargetMeasure.Units) || Actual.Units >= goal.Units)
                && (!counted.HasFlag(TargetMeasure.SalesAmount) || Actual.SalesAmount >= goal.SalesAmount)
                && (!counted.HasFlag(TargetMeasure.Receipts) || Actual.Receipts >= goal.Receipts);
            if (met)
                reached = t;
        }
        return reached;
    }

    private static decimal Share(decimal actual, decimal goal) =>
        goal == 0 ? 1m : decimal.Round(actual / goal, 4, MidpointRounding.AwayFromZero);
}

/// <summary>What commission is paid on.</summary>
public enum CommissionBasis
{
    /// <summary>The sales amount of the period.</summary>
    SalesAmount,
    /// <summary>The money received in the period: commission follows cash.</summary>
    Receipts,
}

/// <summary>Commission earned for a period.</summary>
/// <param name="TierReached">0 to 3.</param>
/// <param name="Rate">The rate of that tier.</param>
/// <param name="Basis">The amount the rate applies to.</param>
/// <param name="Amount">Basis × rate, rounded to the cent.</param>
public sealed record Commission(int TierReached, decimal Rate, decimal Basis, decimal Amount);

/// <summary>
/// The commission tier table (003 §3.2.5: 三个层次的目标分别对应不同的佣金计算), configuration
/// section <c>Dealers:Commission</c>. Rates never decrease with the tier, so more achievement
/// never earns less.
/// </summary>
public sealed class CommissionTierTable
{
    /// <summary>Which measures must be met for a tier to count as reached.</summary>
    public TargetMeasure Counts { get; init; } = TargetMeasure.All;

    /// <summary>What the rate applies to.</summary>
    public CommissionBasis Basis { get; init; } = CommissionBasis.Receipts;

    /// <summary>Rate when no tier is reached.</summary>
    public decimal BelowTargetRate { get; init; }

    /// <summary>Rate at tier 1.</summary>
    public decimal Tier1Rate { get; init; } = 0.01m;

    /// <summary>Rate at tier 2.</summary>
    public decimal Tier2Rate { get; init; } = 0.02m;

    /// <summary>Rate at tier 3.</summary>
    public decimal Tier3Rate { get; init; } = 0.03m;

    /// <summary>Throws a <see cref="DomainRuleViolation"/> if the table makes no sense.</summary>
    public void Validate()
    {
        decimal[] rates = [BelowTargetRate, Tier1Rate, Tier2Rate, Tier3Rate];
        var check = new RuleCheck()
            .Require(Counts != TargetMeasure.None && (Counts & ~TargetMeasure.All) == 0, "counts", "must name at least one measure")
            .Require(Enum.IsDefined(Basis), "basis", "is not a known basis");
        for (var t = 0; t < rates.Length; t++)
            check.Require(rates[t] is >= 0 and <= 1, t == 0 ? "belowTargetRate" : $"tier{t}Rate", "must be from 0 to 1")
                .Require(t == 0 || rates[t] >= rates[t - 1], $"tier{t}Rate", "must not be lower than the tier below");
        check.ThrowIfBroken();
    }

    /// <summary>The commission earned for <paramref name="achievement"/>.</summary>
    public Commission Settle(TargetAchievement achievement)
    {
        Validate();
        var tier = achievement.TierReached(Counts);
        var rate = tier switch { 1 => Tier1Rate, 2 => Tier2Rate, 3 => Tier3Rate, _ => BelowTargetRate };
        var basis = Basis == CommissionBasis.Receipts ? achievement.Actual.Receipts : achievement.Actual.SalesAmount;
        return new Commission(tier, rate, basis, decimal.Round(basis * rate, 2, MidpointRounding.AwayFromZero));
    }
}
