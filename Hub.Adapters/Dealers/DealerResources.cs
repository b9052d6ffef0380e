using Hub.Infrastructure.Access;
using Crm.Contracts.Dealers;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.Adapters.Identity;
using Hub.CrmStore.Dealers;

namespace Hub.Adapters.Dealers;

/// <summary>Body of <c>POST /api/v1/dealers/{id}/visits</c>: the day, the scored criteria (weights adding up to 1, scores 0–100) and notes.</summary>
public sealed record InspectionVisitRequest(Guid? VisitId, DateOnly? VisitedOn, IReadOnlyList<InspectionCriterionScore>? Scores, string? Notes);

/// <summary>Body of <c>POST /api/v1/dealers/{id}/negotiations</c>: outcome <c>Continuing</c>, <c>Agreed</c> or <c>Abandoned</c>.</summary>
public sealed record NegotiationRequest(Guid? NegotiationId, DateOnly? HeldOn, string? Participants, IReadOnlyList<NegotiatedTermData>? Terms, string? Outcome);

/// <summary>Body of <c>POST /api/v1/dealers/{id}/contracts</c> (a draft) and <c>PUT …/contracts/{contractId}</c> (a revision).</summary>
public sealed record AgencyContractRequest(Guid? ContractId, string? Territory, DateOnly? ValidFrom, DateOnly? ValidTo, string? Terms, Guid? NegotiationId);

/// <summary>Body of <c>POST …/contracts/{contractId}/reject</c>.</summary>
public sealed record RejectContractRequest(string? Reason);

/// <summary>Body of <c>POST …/contracts/{contractId}/sign</c>: the day the paper contract was signed.</summary>
public sealed record SignContractRequest(DateOnly? SignedOn);

/// <summary>Body of <c>PUT /api/v1/dealers/{id}/targets/{year}[/{month}]</c>: the three tiers (目标1/2/3).</summary>
public sealed record DealerTargetRequest(DealerTargetLevels? Tier1, DealerTargetLevels? Tier2, DealerTargetLevels? Tier3);

/// <summary>A dealer (a customer of kind dealer) with its achievement this month.</summary>
public sealed record DealerView(Guid DealerId, string Code, string Name, string? Region, string? OwnerSalespersonId, string? Phone, string? Email,
    string? Address, AchievementView ThisMonth)
{
    /// <summary>The view of <paramref name="dealer"/>.</summary>
    public static DealerView Of(Customer dealer, AchievementView thisMonth) => new(dealer.Id, dealer.Code, dealer.Name, dealer.Region,
        dealer.OwnerSalespersonId, dealer.Phone, dealer.Email, dealer.Address, thisMonth);
}

/// <summary>One tier's target and how far it is reached per measure (actual ÷ target; 1 when the tier asks nothing of a measure).</summary>
public sealed record TierView(int Tier, DealerTargetLevels Target, decimal UnitsShare, decimal SalesAmountShare, decimal ReceiptsShare);

/// <summary>Commission earned for the period (managers only): the tier reached, its rate, the basis and the amount.</summary>
public sealed record CommissionView(int TierReached, decimal Rate, string Basis, decimal BasisAmount, decimal Amount);

/// <summary>
/// A dealer's achievement for a year or a month (003 §3.2.5): what was achieved, and against the period's target (when one is set)
/// each tier's progress, the highest tier reached (as the commission table counts it), the receipt rate (回款率) and, for managers, the commission.
/// </summary>
public sealed record AchievementView(int Year, int? Month, DealerTargetLevels Actual, Guid? TargetId, long? TargetVersion, IReadOnlyList<TierView> Tiers,
    int? TierReached, decimal? ReceiptRate, CommissionView? Commission)
{
    /// <summary>Measures the period from the ledger <paramref name="entries"/> of the dealer (those of other periods are left out).</summary>
    public static AchievementView Of(int year, int? month, DealerTarget? target, long? version, IReadOnlyList<DealerAchievementEntry> entries,
        CommissionTierTable table, MobileCaller caller)
    {
        if (target is null)
        {
            var actual = DealerLedger.Total(entries.Where(e => e.Year == year && (month == null || e.Month == month)));
            return new AchievementView(year, month, Wire(actual), null, null, [], null, null, null);
        }
        var achievement = DealerLedger.Measure(target, entries);
        var commission = caller.MaySee(SensitiveFields.DealerCommission) ? table.Settle(achievement) : null;
        return new AchievementView(year, month, Wire(achievement.Actual), target.Id, version,
            achievement.Tiers.Select(t => new TierView(t.Tier, Wire(target.Tier(t.Tier)), t.Units, t.SalesAmount, t.Receipts)).ToArray(),
            achievement.TierReached(table.Counts), achievement.ReceiptRate,
            commission is null ? null : new CommissionView(commission.TierReached, commission.Rate, table.Basis.ToString(), commission.Basis, commission.Amount));
    }

    internal static DealerTargetLevels Wire(TargetLevels l) => new(l.Units, l.SalesAmount, l.Receipts);
}

/// <summary>An inspection visit as the apps show it.</summary>
public sealed record InspectionVisitView(Guid VisitId, Guid DealerId, DateOnly VisitedOn, string InspectorId, IReadOnlyList<InspectionCriterionScore> Scores,
    decimal WeightedTotal, string? Notes)
{
    /// <summary>The view of a stored visit.</summary>
    public static InspectionVisitView Of(InspectionVisit v) => new(v.Id, v.DealerId, v.VisitedOn, v.InspectorId,
        v.Scores.Select(s => new InspectionCriterionScore(s.Criterion, s.Weight, s.Score)).ToArray(), v.WeightedTotal, v.Notes);
}

/// <summary>A negotiation record as the apps show it; <see cref="Terms"/> (the terms settled) is null for a caller without <c>dealers.terms</c>.</summary>
public sealed record NegotiationView(Guid NegotiationId, Guid DealerId, DateOnly HeldOn, string RecordedBy, string Participants,
    IReadOnlyList<NegotiatedTermData>? Terms, string Outcome)
{
    /// <summary>The view of a stored negotiation, as <paramref name="caller"/> may see it.</summary>
    public static NegotiationView Of(NegotiationRecord n, MobileCaller caller) => new(n.Id, n.DealerId, n.HeldOn, n.RecordedBy, n.Participants,
        caller.MaySee(SensitiveFields.NegotiationTerms) ? n.Terms.Select(t => new NegotiatedTermData(t.Topic, t.Settlement)).ToArray() : null,
        n.Outcome.ToString());
}

/// <summary>One step of a contract's approval history.</summary>
public sealed record ContractStepView(int Sequence, string Step, string? From, string To, string Actor, string? Reason, DateTime At);

/// <summary>
/// An agency contract as the apps show it; <see cref="Version"/> is also its ETag. <see cref="Terms"/> (the commercial terms and
/// commission agreed) reach holders of <c>dealers.terms</c> only (<see cref="SensitiveFields"/>); <see cref="Steps"/> (the approval history) come with a single contract.
/// </summary>
public sealed record AgencyContractView(Guid ContractId, string Number, Guid DealerId, string Territory, DateOnly ValidFrom, DateOnly ValidTo, string? Terms,
    Guid? NegotiationId, string Status, string DraftedBy, string? SubmittedBy, DateTimeOffset? SubmittedAt, string? ApproverId, DateTimeOffset? DecidedAt,
    string? RejectionReason, DateOnly? SignedOn, long Version, IReadOnlyList<ContractStepView>? Steps)
{
    /// <summary>The view of a stored contract at <paramref name="version"/>.</summary>
    public static AgencyContractView Of(AgencyContract c, long version, MobileCaller caller, IEnumerable<AgencyContractStep>? steps = null) => new(
        c.Id, c.Number, c.DealerId, c.Territory, c.ValidFrom, c.ValidTo, caller.MaySee(SensitiveFields.AgencyContractTerms) ? c.Terms : null, c.NegotiationId,
        c.Status.ToString(), c.DraftedBy, c.SubmittedBy, c.SubmittedAt, c.ApproverId, c.DecidedAt, c.RejectionReason, c.SignedOn, version,
        steps?.OrderBy(s => s.Sequence).Select(s => new ContractStepView(s.Sequence, s.Step, s.FromStatus, s.ToStatus, s.Actor, s.Reason,
            DateTime.SpecifyKind(s.At, DateTimeKind.Utc))).ToArray());
}

/// <summary>A target of a period with its achievement; <see cref="Version"/> is also its ETag.</summary>
public sealed record DealerTargetView(Guid TargetId, Guid DealerId, int Year, int? Month, DealerTargetLevels Tier1, DealerTargetLevels Tier2, DealerTargetLevels Tier3,
    string AgreedBy, long Version, AchievementView Achievement);
