namespace Crm.Domain.ServiceTickets;

/// <summary>Where a field work order stands.</summary>
public enum FieldWorkOrderStatus
{
    /// <summary>Issued to the engineer, not yet accepted.</summary>
    Issued,
    /// <summary>The engineer accepted it.</summary>
    Accepted,
    /// <summary>The engineer declined it.</summary>
    Declined,
    /// <summary>The supervisor gave the job to someone else before it was done.</summary>
    Reassigned,
    /// <summary>The engineer found parts or a factory return are needed; a new work order will finish the job.</summary>
    NeedsParts,
    /// <summary>Repaired.</summary>
    Completed,
    /// <summary>The customer withdrew the ticket.</summary>
    Withdrawn,
}

/// <summary>How a repair was done.</summary>
public enum RepairOutcome
{
    /// <summary>Repaired on site.</summary>
    RepairedOnSite,
    /// <summary>Parts replaced on site.</summary>
    PartsReplaced,
    /// <summary>Repaired at the factory and brought back (返司维修).</summary>
    RepairedAtFactory,
}

/// <summary>What the engineer needs before the job can be finished.</summary>
public enum PartsNeed
{
    /// <summary>Replacement parts (更换配件).</summary>
    ReplacementParts,
    /// <summary>The vehicle or unit goes back to the factory (返司维修).</summary>
    ReturnToFactory,
}

/// <summary>
/// A 派工单 (003 §3.7.3): the office supervisor's order to one engineer to do a ticket's job on
/// site. Changed only through its <see cref="ServiceTicket"/>.
/// </summary>
public sealed class FieldWorkOrder
{
    private FieldWorkOrder() { }

    /// <summary>Identity chosen by the caller; issuing the same id again changes nothing.</summary>
    public Guid Id { get; private set; }

    /// <summary>The ticket it serves.</summary>
    public Guid TicketId { get; private set; }

    /// <summary>The ticket number and the sequence, e.g. <c>ST0B9F3C5E1D2A-F01</c>.</summary>
    public string Number { get; private set; } = "";

    /// <summary>1 for the ticket's first field work order, and so on.</summary>
    public int Sequence { get; private set; }

    /// <summary>The office (办事处) doing the job.</summary>
    public string OfficeId { get; private set; } = "";

    /// <summary>The engineer.</summary>
    public string EngineerId { get; private set; } = "";

    /// <summary>The supervisor who issued it.</summary>
    public string IssuedBy { get; private set; } = "";

    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt { get; private set; }

    /// <summary>Where it stands.</summary>
    public FieldWorkOrderStatus Status { get; private set; }

    /// <summary>When the engineer accepted it.</summary>
    public DateTimeOffset? AcceptedAt { get; private set; }

    /// <summary>When it was completed, declined, reassigned or handed back for parts.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>How the repair was done, once completed.</summary>
    public RepairOutcome? Outcome { get; private set; }

    /// <summary>What was needed, when handed back for parts.</summary>
    public PartsNeed? PartsNeed { get; private set; }

    /// <summary>The engineer's report, or the reason for declining or handing back.</summary>
    public string? Report { get; private set; }

    /// <summary>Parts fitted, once completed.</summary>
    public IReadOnlyList<PartUsed> PartsUsed { get; private set; } = [];

    /// <summary>Whether the job is still with this engineer.</summary>
    public bool IsOpen => Status is FieldWorkOrderStatus.Issued or FieldWorkOrderStatus.Accepted;

    internal static FieldWorkOrder Issue(Guid id, ServiceTicket ticket, int sequence, string engineerId, StateChangeCause cause) => new()
    {
        Id = id,
        TicketId = ticket.Id,
        Number = $"{ticket.Number}-F{sequence:00}",
        Sequence = sequence,
        OfficeId = ticket.OfficeId!,
        EngineerId = engineerId.Trim(),
        IssuedBy = cause.Actor.Trim(),
        IssuedAt = cause.At,
        Status = FieldWorkOrderStatus.Issued,
    };

    internal void Accept(DateTimeOffset at)
    {
        Status = FieldWorkOrderStatus.Accepted;
        AcceptedAt = at;
    }

    internal void Close(FieldWorkOrderStatus status, DateTimeOffset at, string? report, RepairOutcome? outcome = null, PartsNeed? partsNeed = null)
    {
        Status = status;
        ClosedAt = at;
        Report = report?.Trim();
        Outcome = outcome;
        PartsNeed = partsNeed;
    }

    internal void RecordPartsUsed(IReadOnlyList<PartUsed> parts) =>
        PartsUsed = parts.Select(p => p with { PartCode = p.PartCode.Trim() }).ToArray();
}
