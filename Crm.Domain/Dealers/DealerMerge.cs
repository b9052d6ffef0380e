using Crm.Domain.Customers;

namespace Crm.Domain.Dealers;

/// <summary>
/// What a customer merge (<see cref="CustomerMerge"/>) means for dealer records: the duplicate's inspection visits, negotiations,
/// agency contracts, targets and achievement move to the survivor. Two rules are checked before anything moves, so a merge is
/// refused whole rather than half carried out:
/// <list type="bullet">
/// <item>dealer records only move to a dealer (a survivor of another kind would hold contracts and targets nobody sees);</item>
/// <item>the two may not both have a target for the same period (a year, or a month): 003 §3.2.5 keeps one target per dealer and
/// period, and which of two agreed targets stands is a decision for the channel department, not for the merge. Settle it (revise
/// one target to the agreed figures and leave the other dealer without one) and merge again.</item>
/// </list>
/// </summary>
public static class DealerMerge
{
    /// <summary>
    /// Refuses, with <see cref="DomainRuleViolation"/>, a merge of <paramref name="duplicate"/> into <paramref name="survivor"/> that
    /// would break a dealer rule. <paramref name="duplicateHasDealerRecords"/> says whether anything of a dealer hangs off the duplicate.
    /// </summary>
    public static void Check(Customer survivor, Customer duplicate, IEnumerable<DealerTarget> survivorTargets, IEnumerable<DealerTarget> duplicateTargets,
        bool duplicateHasDealerRecords)
    {
        var taken = survivorTargets.Select(t => (t.Year, t.Month)).ToHashSet();
        var clashes = duplicateTargets.Where(t => taken.Contains((t.Year, t.Month))).Select(t => Period(t.Year, t.Month)).Distinct().Order().ToArray();
        new RuleCheck()
            .Require(!duplicateHasDealerRecords || survivor.IsDealer, "survivorId",
                $"customer {survivor.Code} is not a dealer: the dealer records of {duplicate.Code} (visits, negotiations, contracts, targets) can only move to a dealer")
            .Require(clashes.Length == 0, "duplicateId",
                $"both {survivor.Code} and {duplicate.Code} have a target for {string.Join(", ", clashes)}: settle which one stands before merging")
            .ThrowIfBroken();
    }

    /// <summary>The surviving dealer's id, checked: dealer records are only ever moved to a dealer that exists.</summary>
    internal static Guid RequireSurvivor(Guid dealerId)
    {
        new RuleCheck().Require(dealerId != Guid.Empty, "dealerId", "must not be empty").ThrowIfBroken();
        return dealerId;
    }

    private static string Period(int year, int? month) => month is { } m ? $"{year}-{m:00}" : $"{year} (annual)";
}
