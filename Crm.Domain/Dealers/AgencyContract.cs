using Crm.Domain.Customers;

namespace Crm.Domain.Dealers;

/// <summary>Where an agency contract stands in its approval workflow (003 §3.2.4 代理审核流程).</summary>
public enum AgencyContractStatus
{
    /// <summary>Being written; may be revised.</summary>
    Draft,
    /// <summary>Sent for approval.</summary>
    Submitted,
    /// <summary>Approved; the paper contract is to be signed.</summary>
    Approved,
    /// <summary>Refused; may be revised back into a draft.</summary>
    Rejected,
    /// <summary>Signed and in force.</summary>
    Active,
    /// <summary>Past its end date. Final.</summary>
    Expired,
}

/// <summary>
/// The agency contract with a dealer (003 §3.2.4 代理合同): drafted → submitted → approved or
/// rejected (a rejected one can be revised into a draft) → active once the paper contract is
/// signed → expired after its end date.
/// </summary>
public sealed class AgencyContract
{
    private AgencyContract() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>Business number derived from the id, like <c>Order.NumberFor</c>.</summary>
    public string Number { get; private set; } = "";

    /// <summary>The dealer.</summary>
    public Guid DealerId { get; private set; }

    /// <summary>Where the dealer may sell.</summary>
    public string Territory { get; private set; } = "";

    /// <summary>First day in force.</summary>
    public DateOnly ValidFrom { get; private set; }

    /// <summary>Last day in force.</summary>
    public DateOnly ValidTo { get; private set; }

    /// <summary>The agreed terms, in words.</summary>
    public string Terms { get; private set; } = "";

    /// <summary>The negotiation that led to it, if recorded.</summary>
    public Guid? NegotiationId { get; private set; }

    /// <summary>Where it stands.</summary>
    public AgencyContractStatus Status { get; private set; }

    /// <summary>Who drafted it.</summary>
    public string DraftedBy { get; private set; } = "";

    /// <summary>Who last submitted it.</summary>
    public string? SubmittedBy { get; private set; }

    /// <summary>When it was last submitted.</summary>
    public DateTimeOffset? SubmittedAt { get; private set; }

    /// <summary>Who approved or rejected it.</summary>
    public string? ApproverId { get; private set; }

    /// <summary>When that was decided.</summary>
    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Why it was rejected, the last time it was.</summary>
    public string? RejectionReason { get; private set; }

    /// <summary>Day the paper contract was signed.</summary>
    public DateOnly? SignedOn { get; private set; }

    /// <summary>The contract number for an id.</summary>
    public static string NumberFor(Guid id) => "AC" + id.ToString("N")[..12].ToUpperInvariant();

    /// <summary>Drafts a contract with a dealer, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static AgencyContract Draft(Guid id, Customer dealer, string territory, DateOnly validFrom, DateOnly validTo, string terms,
        string draftedBy, Guid? negotiationId = null)
    {
        CheckTerms(new RuleCheck()
                .Require(id != Guid.Empty, "contractId", "must not be empty")
                .RequireDealer(dealer)
                .RequireText(draftedBy, "draftedBy", 64), territory, validFrom, validTo, terms)
            .ThrowIfBroken();
        return new AgencyContract
        {
            Id = id,
            Number = NumberFor(id),
            DealerId = dealer.Id,
            Territory = territory.Trim(),
            ValidFrom = validFrom,
            ValidTo = validTo,
            Terms = terms.Trim(),
            NegotiationId = negotiationId,
            DraftedBy = draftedBy.Trim(),
            Status = AgencyContractStatus.Draft,
        };
    }

    /// <summary>Rewrites a draft, or a rejected contract, which becomes a draft again.</summary>
    public void Revise(string territory, DateOnly validFrom, DateOnly validTo, string terms)
    {
        CheckTerms(RequireStatus(new RuleCheck(), "revise", AgencyContractStatus.Draft, AgencyContractStatus.Rejected), territory, validFrom, validTo, terms)
            .ThrowIfBroken();
        Territory = territory.Trim();
        ValidFrom = validFrom;
        ValidTo = validTo;
        Terms = terms.Trim();
        Status = AgencyContractStatus.Draft;
    }

    /// <summary>Sends the draft for approval.</summary>
    public void Submit(string submittedBy, DateTimeOffset at)
    {
        RequireStatus(new RuleCheck().RequireText(submittedBy, "submittedBy", 64), "submit", AgencyContractStatus.Draft).ThrowIfBroken();
        SubmittedBy = submittedBy.Trim();
        SubmittedAt = at;
        Status = AgencyContractStatus.Submitted;
    }

    /// <summary>Approves; whoever submitted it may not approve it.</summary>
    public void Approve(string approverId, DateTimeOffset at)
    {
        RequireDecider(RequireStatus(new RuleCheck(), "approve", AgencyContractStatus.Submitted), approverId).ThrowIfBroken();
        Decide(AgencyContractStatus.Approved, approverId, at);
        RejectionReason = null;
    }

    /// <summary>Rejects, saying why.</summary>
    public void Reject(string approverId, string reason, DateTimeOffset at)
    {
        RequireDecider(RequireStatus(new RuleCheck().RequireText(reason, "reason", 500), "reject", AgencyContractStatus.Submitted), approverId)
            .ThrowIfBroken();
        Decide(AgencyContractStatus.Rejected, approverId, at);
        RejectionReason = reason.Trim();
    }

    /// <summary>The paper contract was signed (纸质合同的签署): the contract is in force.</summary>
    public void Activate(DateOnly signedOn)
    {
        RequireStatus(new RuleCheck(), "activate", AgencyContractStatus.Approved)
            .Require(signedOn <= ValidTo, "signedOn", "the contract had already ended on that day")
            .ThrowIfBroken();
        SignedOn = signedOn;
        Status = AgencyContractStatus.Active;
    }

    /// <summary>Ends an active contract once <paramref name="today"/> is past its last day; says whether it did.</summary>
    public bool ExpireIfDue(DateOnly today)
    {
        if (Status != AgencyContractStatus.Active || today <= ValidTo)
            return false;
        Status = AgencyContractStatus.Expired;
        return true;
    }

    /// <summary>
    /// Whether an active contract ends within <paramref name="daysBefore"/> days of <paramref name="today"/> (its last day
    /// included) and has not ended yet: the time to remind whoever looks after the dealer to renew it.
    /// </summary>
    public bool EndsWithin(DateOnly today, int daysBefore) =>
        Status == AgencyContractStatus.Active && today <= ValidTo && ValidTo.DayNumber - today.DayNumber <= daysBefore;

    /// <summary>Moves the contract to the dealer a duplicate was merged into (<see cref="DealerMerge"/>).</summary>
    public void MoveToDealer(Guid dealerId) => DealerId = DealerMerge.RequireSurvivor(dealerId);

    /// <summary>Whether the dealer may sell under this contract on <paramref name="day"/>.</summary>
    public bool IsInForce(DateOnly day) => Status == AgencyContractStatus.Active && day >= ValidFrom && day <= ValidTo;

    private static RuleCheck CheckTerms(RuleCheck check, string territory, DateOnly validFrom, DateOnly validTo, string terms) => check
        .RequireText(territory, "territory", 100)
        .RequireText(terms, "terms", 8000)
        .Require(validTo >= validFrom, "validTo", "must not be before validFrom")
        .Require(validTo <= validFrom.AddYears(10), "validTo", "an agency contract runs at most ten years");

    private RuleCheck RequireStatus(RuleCheck check, string step, params AgencyContractStatus[] allowed) =>
        check.Require(allowed.Contains(Status), "status", $"a contract that is {Status} cannot {step}");

    private RuleCheck RequireDecider(RuleCheck check, string approverId) => check
        .RequireText(approverId, "approverId", 64)
        .Require(!string.Equals(approverId?.Trim(), SubmittedBy, StringComparison.OrdinalIgnoreCase), "approverId", "whoever submitted the contract cannot decide on it");

    private void Decide(AgencyContractStatus status, string approverId, DateTimeOffset at)
    {
        Status = status;
        ApproverId = approverId.Trim();
        DecidedAt = at;
    }
}
