namespace Crm.Domain.Dealers;

/// <summary>
/// When a dealer counts as behind its monthly target (configuration section <c>Dealers:Pace</c>): on a day of the month
/// not before <see cref="NotBeforeDay"/>, a measure in <see cref="Measures"/> whose month-to-date actual is below
/// <see cref="BehindShare"/> of the pro-rata target of tier <see cref="Tier"/> (the target × days passed ÷ days in the month).
/// </summary>
public sealed class PaceRule
{
    /// <summary>Share of the pro-rata target below which a measure is behind, more than 0 and at most 1.</summary>
    public decimal BehindShare { get; init; } = 0.8m;

    /// <summary>First day of the month checked: early in a month a pro-rata target says little.</summary>
    public int NotBeforeDay { get; init; } = 10;

    /// <summary>The tier whose target sets the pace (1: the lowest agreed).</summary>
    public int Tier { get; init; } = 1;

    /// <summary>The measures checked.</summary>
    public TargetMeasure Measures { get; init; } = TargetMeasure.All;

    /// <summary>Throws a <see cref="DomainRuleViolation"/> if the rule makes no sense.</summary>
    public void Validate() => new RuleCheck()
        .Require(BehindShare is > 0 and <= 1, "behindShare", "must be more than 0 and at most 1")
        .Require(NotBeforeDay is >= 1 and <= 28, "notBeforeDay", "must be from 1 to 28")
        .Require(Tier is >= 1 and <= DealerTarget.TierCount, "tier", $"must be from 1 to {DealerTarget.TierCount}")
        .Require(Measures != TargetMeasure.None && (Measures & ~TargetMeasure.All) == 0, "measures", "must name at least one measure")
        .ThrowIfBroken();
}

/// <summary>One measure a dealer is behind on: what the pace asked by the day checked, and what was achieved.</summary>
/// <param name="Measure">Units, sales amount or receipts.</param>
/// <param name="ProRataTarget">The tier's target × days passed ÷ days in the month, to the cent (whole units rounded up).</param>
/// <param name="Actual">Month to date.</param>
public sealed record PaceShortfall(TargetMeasure Measure, decimal ProRataTarget, decimal Actual);

/// <summary>Whether a dealer keeps pace with its monthly target (003 §3.2.5 目标管理: 月度销售目标).</summary>
public static class TargetPace
{
    /// <summary>
    /// The measures of <paramref name="monthly"/> the dealer is behind on, on <paramref name="on"/>, with
    /// <paramref name="monthToDate"/> achieved; empty when on pace, outside the month, or before the rule's first day.
    /// </summary>
    public static IReadOnlyList<PaceShortfall> Shortfalls(DealerTarget monthly, TargetLevels monthToDate, DateOnly on, PaceRule rule)
    {
        rule.Validate();
        new RuleCheck().Require(monthly.Month is not null, "target", "the pace is kept against a monthly target").ThrowIfBroken();
        if (!monthly.Covers(on) || on.Day < rule.NotBeforeDay)
            return [];
        var goal = monthly.Tier(rule.Tier);
        var days = DateTime.DaysInMonth(on.Year, on.Month);
        var found = new List<PaceShortfall>();
        // Multiplied before divided: a third of a month of 30 units is 10, not 10.000…01 rounded up to 11.
        Check(TargetMeasure.Units, Math.Ceiling((decimal)goal.Units * on.Day / days), monthToDate.Units);
        Check(TargetMeasure.SalesAmount, decimal.Round(goal.SalesAmount * on.Day / days, 2, MidpointRounding.AwayFromZero), monthToDate.SalesAmount);
        Check(TargetMeasure.Receipts, decimal.Round(goal.Receipts * on.Day / days, 2, MidpointRounding.AwayFromZero), monthToDate.Receipts);
        return found;

        void Check(TargetMeasure measure, decimal proRata, decimal actual)
        {
            if (rule.Measures.HasFlag(measure) && proRata > 0 && actual < rule.BehindShare * proRata)
                found.Add(new PaceShortfall(measure, proRata, actual));
        }
    }
}
