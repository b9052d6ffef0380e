namespace Hub.CrmStore.Dealers;

/// <summary>
/// One step of an agency contract's approval workflow (table <c>crm_agency_contract_step</c>): the contract keeps where it
/// stands, this keeps how it got there (drafted, revised, submitted, approved, rejected, signed), who took each step and why.
/// </summary>
public sealed class AgencyContractStep
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }
    /// <summary>The contract.</summary>
    public Guid ContractId { get; set; }
    /// <summary>1 for the draft, then one more per step.</summary>
    public int Sequence { get; set; }
    /// <summary><c>Drafted</c>, <c>Revised</c>, <c>Submitted</c>, <c>Approved</c>, <c>Rejected</c> or <c>Signed</c>.</summary>
    public string Step { get; set; } = "";
    /// <summary>Status before the step; null for the draft.</summary>
    public string? FromStatus { get; set; }
    /// <summary>Status after the step.</summary>
    public string ToStatus { get; set; } = "";
    /// <summary>Who took it.</summary>
    public string Actor { get; set; } = "";
    /// <summary>Why (a rejection's reason).</summary>
    public string? Reason { get; set; }
    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
    /// <summary>The command that took it.</summary>
    public Guid CommandId { get; set; }
}

/// <summary>
/// One fact of a dealer's achievement ledger (table <c>crm_dealer_achievement_entry</c>): a sale (an order completed for the
/// dealer: units and amount) or a receipt (money received on one of its orders), on the business day it counts. The id is
/// derived from the source event (<see cref="Source"/> + <see cref="SourceId"/>), so an event delivered twice counts once.
/// </summary>
public sealed class DealerAchievementEntry
{
    /// <summary>Derived from source and source id.</summary>
    public Guid Id { get; set; }
    /// <summary><c>order</c>, <c>erp-receipt</c> or <c>billing-payment</c>.</summary>
    public string Source { get; set; } = "";
    /// <summary>The source's own id (order id, receipt id, billing event id).</summary>
    public string SourceId { get; set; } = "";
    /// <summary>The dealer.</summary>
    public Guid DealerId { get; set; }
    /// <summary>The dealer's customer code.</summary>
    public string DealerCode { get; set; } = "";
    /// <summary>The business day it counts on (in <c>Dealers:TimeZone</c>).</summary>
    public DateOnly On { get; set; }
    /// <summary>Year of <see cref="On"/>, for the period queries.</summary>
    public int Year { get; set; }
    /// <summary>Month of <see cref="On"/>.</summary>
    public int Month { get; set; }
    /// <summary>Units sold (a sale), 0 for a receipt.</summary>
    public int Units { get; set; }
    /// <summary>Sales amount (a sale), 0 for a receipt.</summary>
    public decimal SalesAmount { get; set; }
    /// <summary>Money received (a receipt), 0 for a sale.</summary>
    public decimal Receipts { get; set; }
    /// <summary>The order number it concerns.</summary>
    public string Reference { get; set; } = "";
    /// <summary>When it was counted (UTC).</summary>
    public DateTime RecordedAt { get; set; }
}

/// <summary>A dealer was told it fell behind its monthly target (table <c>crm_dealer_target_alert</c>): once per dealer and month.</summary>
public sealed class DealerTargetAlert
{
    /// <summary>The dealer.</summary>
    public Guid DealerId { get; set; }
    /// <summary>Year of the month.</summary>
    public int Year { get; set; }
    /// <summary>The month.</summary>
    public int Month { get; set; }
    /// <summary>The first measure behind (<c>Units</c>, <c>SalesAmount</c>, <c>Receipts</c>).</summary>
    public string Metric { get; set; } = "";
    /// <summary>Its pro-rata target on the day checked.</summary>
    public decimal Target { get; set; }
    /// <summary>Month to date then.</summary>
    public decimal Actual { get; set; }
    /// <summary>When it was found (UTC).</summary>
    public DateTime DetectedAt { get; set; }
}

/// <summary>
/// The owner of an agency contract was reminded that it ends soon (table <c>crm_agency_contract_reminder</c>): once per contract, the key
/// making a second reminder (a repeated check, another instance checking at the same time) fail instead of being sent.
/// </summary>
public sealed class AgencyContractReminder
{
    /// <summary>The contract.</summary>
    public Guid ContractId { get; set; }
    /// <summary>Its last day, as reminded of.</summary>
    public DateOnly ValidTo { get; set; }
    /// <summary>The business day the reminder was found due.</summary>
    public DateOnly RemindedOn { get; set; }
    /// <summary>When (UTC).</summary>
    public DateTime RemindedAt { get; set; }
}
