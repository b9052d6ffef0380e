using Crm.Domain.Customers;

namespace Crm.Domain.Dealers;

/// <summary>One scored criterion of an inspection.</summary>
/// <param name="Criterion">What was judged, e.g. <see cref="InspectionVisit.Qualification"/>.</param>
/// <param name="Weight">Its share of the total, more than 0; the weights of a visit add up to exactly 1.</param>
/// <param name="Score">The score given, 0 to 100.</param>
public sealed record InspectionScore(string Criterion, decimal Weight, decimal Score);

/// <summary>
/// Our visit to a prospective dealer (003 §3.2.2 经销商考察): its qualification, assets,
/// experience and premises scored and weighted into one total.
/// </summary>
public sealed class InspectionVisit
{
    /// <summary>Criterion: licences and qualification (资质).</summary>
    public const string Qualification = "qualification";
    /// <summary>Criterion: assets (资产).</summary>
    public const string Assets = "assets";
    /// <summary>Criterion: experience in the trade (经验).</summary>
    public const string Experience = "experience";
    /// <summary>Criterion: business premises (经营场所).</summary>
    public const string Premises = "premises";

    private readonly List<InspectionScore> _scores = [];

    private InspectionVisit() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>The dealer visited.</summary>
    public Guid DealerId { get; private set; }

    /// <summary>Day of the visit.</summary>
    public DateOnly VisitedOn { get; private set; }

    /// <summary>Who inspected.</summary>
    public string InspectorId { get; private set; } = "";

    /// <summary>The scores.</summary>
    public IReadOnlyList<InspectionScore> Scores => _scores;

    /// <summary>Sum of weight × score, rounded to two places: between the lowest and the highest score.</summary>
    public decimal WeightedTotal { get; private set; }

    /// <summary>Observations.</summary>
    public string? Notes { get; private set; }

    /// <summary>Records a visit, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static InspectionVisit Record(Guid id, Customer dealer, string inspectorId, DateOnly visitedOn,
        IReadOnlyList<InspectionScore> scores, string? notes = null)
    {
        var check = new RuleCheck()
            .Require(id != Guid.Empty, "visitId", "must not be empty")
            .RequireDealer(dealer)
            .RequireText(inspectorId, "inspectorId", 64)
            .OptionalText(notes, "notes", 2000)
            .Require(scores is { Count: > 0 and <= 20 }, "scores", "a visit scores 1 to 20 criteria");
        for (var i = 0; i < (scores?.Count ?? 0); i++)
        {
            var score = scores![i];
            check.RequireText(score.Criterion, $"scores[{i}].criterion", 64)
                .Require(scores.Count(s => string.Equals(s.Criterion?.Trim(), score.Criterion?.Trim(), StringComparison.OrdinalIgnoreCase)) == 1,
                    $"scores[{i}].criterion", "is scored twice")
                .Require(score.Weight is > 0 and <= 1, $"scores[{i}].weight", "must be more than 0 and at most 1")
                .Require(score.Score is >= 0 and <= 100, $"scores[{i}].score", "must be from 0 to 100");
        }
        check.Require(scores is null || scores.Sum(s => s.Weight) == 1m, "scores", "the weights must add up to exactly 1");
        check.ThrowIfBroken();

        var visit = new InspectionVisit
        {
            Id = id,
            DealerId = dealer.Id,
            InspectorId = inspectorId.Trim(),
            VisitedOn = visitedOn,
            Notes = notes?.Trim(),
            WeightedTotal = WeightedTotalOf(scores!),
        };
        visit._scores.AddRange(scores!.Select(s => s with { Criterion = s.Criterion.Trim() }));
        return visit;
    }

    /// <summary>Sum of weight × score, rounded half away from zero to two places.</summary>
    public static decimal WeightedTotalOf(IEnumerable<InspectionScore> scores) =>
        decimal.Round(scores.Sum(s => s.Weight * s.Score), 2, MidpointRounding.AwayFromZero);

    /// <summary>Whether the dealer reached <paramref name="passMark"/>.</summary>
    public bool Meets(decimal passMark) => WeightedTotal >= passMark;

    /// <summary>Moves the visit to the dealer a duplicate was merged into (<see cref="DealerMerge"/>).</summary>
    public void MoveToDealer(Guid dealerId) => DealerId = DealerMerge.RequireSurvivor(dealerId);
}

/// <summary>How a negotiation ended.</summary>
public enum NegotiationOutcome
{
    /// <summary>Talks go on.</summary>
    Continuing,
    /// <summary>Terms agreed: an agency contract can be drafted.</summary>
    Agreed,
    /// <summary>Given up.</summary>
    Abandoned,
}

/// <summary>One term discussed and what was settled on it.</summary>
/// <param name="Topic">What, e.g. territory, price, payment terms, minimum purchase.</param>
/// <param name="Settlement">What was settled, or where it stands.</param>
public sealed record NegotiatedTerm(string Topic, string Settlement);

/// <summary>A meeting on the terms of cooperation with a dealer (003 §3.2.3 合作洽谈).</summary>
public sealed class NegotiationRecord
{
    private readonly List<NegotiatedTerm> _terms = [];

    private NegotiationRecord() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>The dealer negotiated with.</summary>
    public Guid DealerId { get; private set; }

    /// <summary>Day of the meeting.</summary>
    public DateOnly HeldOn { get; private set; }

    /// <summary>Who recorded it.</summary>
    public string RecordedBy { get; private set; } = "";

    /// <summary>Who took part, on both sides.</summary>
    public string Participants { get; private set; } = "";

    /// <summary>The terms discussed.</summary>
    public IReadOnlyList<NegotiatedTerm> Terms => _terms;

    /// <summary>How it ended.</summary>
    public NegotiationOutcome Outcome { get; private set; }

    /// <summary>Records a meeting, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static NegotiationRecord Record(Guid id, Customer dealer, DateOnly heldOn, string recordedBy, string participants,
        IReadOnlyList<NegotiatedTerm> terms, NegotiationOutcome outcome)
    {
        var check = new RuleCheck()
            .Require(id != Guid.Empty, "negotiationId", "must not be empty")
            .RequireDealer(dealer)
            .RequireText(recordedBy, "recordedBy", 64)
            .RequireText(participants, "participants", 500)
            .Require(Enum.IsDefined(outcome), "outcome", "is not a known outcome")
            .Require(terms is not null && terms.Count <= 50, "terms", "at most 50 terms")
            .Require(outcome != NegotiationOutcome.Agreed || terms is { Count: > 0 }, "terms", "an agreement settles at least one term");
        for (var i = 0; i < (terms?.Count ?? 0); i++)
            check.RequireText(terms![i].Topic, $"terms[{i}].topic", 100).RequireText(terms[i].Settlement, $"terms[{i}].settlement", 1000);
        check.ThrowIfBroken();

        var record = new NegotiationRecord
        {
            Id = id, DealerId = dealer.Id, HeldOn = heldOn, RecordedBy = recordedBy.Trim(), Participants = participants.Trim(), Outcome = outcome,
        };
        record._terms.AddRange(terms!.Select(t => new NegotiatedTerm(t.Topic.Trim(), t.Settlement.Trim())));
        return record;
    }

    /// <summary>Moves the record to the dealer a duplicate was merged into (<see cref="DealerMerge"/>).</summary>
    public void MoveToDealer(Guid dealerId) => DealerId = DealerMerge.RequireSurvivor(dealerId);
}
