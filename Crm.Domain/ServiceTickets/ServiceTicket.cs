using Crm.Domain.Customers;

namespace Crm.Domain.ServiceTickets;

/// <summary>How the customer reached us (003 §3.7.2: 通过电话、网络等方式).</summary>
public enum IntakeChannel
{
    /// <summary>The call centre.</summary>
    Phone,
    /// <summary>The web portal.</summary>
    Web,
    /// <summary>The mobile app.</summary>
    Mobile,
}

/// <summary>What the customer raised.</summary>
public enum ServiceTicketKind
{
    /// <summary>A service request (报修, 服务请求).</summary>
    Request,
    /// <summary>A complaint (投诉).</summary>
    Complaint,
}

/// <summary>
/// A customer's service request or complaint (003 §3.7, 002 §5.2), from intake on the call to the
/// follow-up visit. Steps follow <see cref="ServiceTicketLifecycle"/>; each is recorded in
/// <see cref="History"/>, and a redelivered message changes nothing.
/// </summary>
public sealed class ServiceTicket
{
    private readonly List<StateChange> _history = [];
    private readonly List<FieldWorkOrder> _fieldWorkOrders = [];
    private readonly List<FollowUpVisit> _followUps = [];

    private ServiceTicket() { }

    /// <summary>Identity chosen by the caller, which makes a retried intake idempotent.</summary>
    public Guid Id { get; private set; }

    /// <summary>Business number derived from the id (<see cref="NumberFor"/>).</summary>
    public string Number { get; private set; } = "";

    /// <summary>The customer.</summary>
    public Guid CustomerId { get; private set; }

    /// <summary>The product concerned, from the catalogue, if any.</summary>
    public string? ProductCode { get; private set; }

    /// <summary>The customer's product instance concerned (产品档案), if known.</summary>
    public Guid? ProductInstanceId { get; private set; }

    /// <summary>How the customer reached us.</summary>
    public IntakeChannel Channel { get; private set; }

    /// <summary>Request or complaint.</summary>
    public ServiceTicketKind Kind { get; private set; }

    /// <summary>One line saying what it is about.</summary>
    public string Subject { get; private set; } = "";

    /// <summary>What the customer said.</summary>
    public string Description { get; private set; } = "";

    /// <summary>The representative who took it.</summary>
    public string OpenedBy { get; private set; } = "";

    /// <summary>When it was taken.</summary>
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>Current state, one of <see cref="ServiceTicketStatus"/>.</summary>
    public string Status { get; private set; } = ServiceTicketStatus.Open;

    /// <summary>When the current state was entered: the start of its <see cref="Deadline"/>.</summary>
    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>The solution given, when solved without a visit, or the repair report.</summary>
    public string? Resolution { get; private set; }

    /// <summary>The office (办事处) the technical section passed it to.</summary>
    public string? OfficeId { get; private set; }

    /// <summary>Every step taken, oldest first.</summary>
    public IReadOnlyList<StateChange> History => _history;

    /// <summary>Every field work order issued, oldest first.</summary>
    public IReadOnlyList<FieldWorkOrder> FieldWorkOrders => _fieldWorkOrders;

    /// <summary>Follow-up visits, oldest first.</summary>
    public IReadOnlyList<FollowUpVisit> FollowUpVisits => _followUps;

    /// <summary>The field work order the job is with, if any.</summary>
    public FieldWorkOrder? CurrentFieldWorkOrder => _fieldWorkOrders.LastOrDefault(f => f.IsOpen);

    /// <summary>The follow-up visit waiting for its next call, if any.</summary>
    public FollowUpVisit? CurrentFollowUp => _followUps.LastOrDefault(f => f.Status == FollowUpStatus.Scheduled);

    /// <summary>The ticket number for an id: derived from the id alone, so every channel names the same number.</summary>
    public static string NumberFor(Guid id) => "ST" + id.ToString("N")[..12].ToUpperInvariant();

    /// <summary>Takes a request or complaint, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static ServiceTicket Open(Guid id, Guid customerId, IntakeChannel channel, ServiceTicketKind kind, string subject, string description,
        string? productCode, Guid? productInstanceId, StateChangeCause cause)
    {
        StateTable.RequireCause(cause);
        new RuleCheck()
            .Require(id != Guid.Empty, "ticketId", "must not be empty")
            .Require(customerId != Guid.Empty, "customerId", "must not be empty")
            .Require(Enum.IsDefined(channel), "channel", "is not a known channel")
            .Require(Enum.IsDefined(kind), "kind", "is not a known kind")
            .RequireText(subject, "subject", 200)
            .RequireText(description, "description", 4000)
            .OptionalText(productCode, "productCode", 32)
            .Require(productInstanceId != Guid.Empty, "productInstanceId", "must not be empty when given")
            .ThrowIfBroken();
        var ticket = new ServiceTicket
        {
            Id = id,
            Number = NumberFor(id),
            CustomerId = customerId,
            Channel = channel,
            Kind = kind,
            Subject = subject.Trim(),
            Description = description.Trim(),
            ProductCode = string.IsNullOrWhiteSpace(productCode) ? null : productCode.Trim(),
            ProductInstanceId = productInstanceId,
            OpenedBy = cause.Actor.Trim(),
            OpenedAt = cause.At,
            StatusChangedAt = cause.At,
        };
        ticket._history.Add(new StateChange(null, ServiceTicketStatus.Open, ServiceTicketLifecycle.Triggers.Open, cause.At, ticket.OpenedBy, null, cause.MessageId));
        return ticket;
    }

    /// <summary>
    /// Whether the ticket is to be followed up (003 §3.7.4: 重要客户的服务请求,标记为需要回访):
    /// complaints always, and anything of a key customer (value grade A). A customer not on record (a ticket taken before the
    /// customer was registered) counts as an ordinary one.
    /// </summary>
    public bool CallsForFollowUp(Customer? customer) => Kind == ServiceTicketKind.Complaint || customer?.ValueGrade == ValueGrade.A;

    /// <summary>The representative solved it on the call.</summary>
    public void ResolveOnCall(string resolution, StateChangeCause cause) => Solve(ServiceTicketLifecycle.Triggers.ResolveOnCall, resolution, cause);

    /// <summary>Not solvable on the call: submitted for technical review.</summary>
    public void Submit(StateChangeCause cause) => Step(ServiceTicketLifecycle.Triggers.Submit, cause);

    /// <summary>The technical section solved it without a visit.</summary>
    public void ResolveRemotely(string resolution, StateChangeCause cause) => Solve(ServiceTicketLifecycle.Triggers.ResolveRemotely, resolution, cause);

    /// <summary>The technical section reviewed it and passed it to <paramref name="officeId"/> for field service.</summary>
    public void Dispatch(string officeId, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        new RuleCheck().RequireText(officeId, "officeId", 64).ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.Dispatch, cause);
        OfficeId = officeId.Trim();
    }

    /// <summary>The office supervisor (<see cref="StateChangeCause.Actor"/>) issues a field work order to <paramref name="engineerId"/>.</summary>
    public FieldWorkOrder AssignEngineer(Guid fieldWorkOrderId, string engineerId, StateChangeCause cause) =>
        Issue(ServiceTicketLifecycle.Triggers.AssignEngineer, fieldWorkOrderId, engineerId, cause);

    /// <summary>
    /// The supervisor gives the job to <paramref name="engineerId"/> on a new field work order:
    /// before the current one is accepted, or after parts or a factory return were needed.
    /// </summary>
    public FieldWorkOrder Reassign(Guid fieldWorkOrderId, string engineerId, StateChangeCause cause) =>
        Issue(ServiceTicketLifecycle.Triggers.Reassign, fieldWorkOrderId, engineerId, cause);

    /// <summary>The engineer of the current field work order (<see cref="StateChangeCause.Actor"/>) accepts it.</summary>
    public void Accept(StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        var current = RequireEngineer(ServiceTicketLifecycle.Triggers.Accept, cause);
        Fire(ServiceTicketLifecycle.Triggers.Accept, cause);
        current.Accept(cause.At);
    }

    /// <summary>The engineer declines; the ticket goes back to the office supervisor.</summary>
    public void Decline(string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        var current = RequireEngineer(ServiceTicketLifecycle.Triggers.Decline, cause);
        new RuleCheck().RequireText(reason, "reason", 500).ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.Decline, cause, reason);
        current.Close(FieldWorkOrderStatus.Declined, cause.At, reason);
    }

    /// <summary>The engineer repaired it, saying how.</summary>
    public void CompleteRepair(RepairOutcome outcome, string report, StateChangeCause cause) => CompleteRepair(outcome, report, [], cause);

    /// <summary>The engineer repaired it, saying how and which parts were fitted.</summary>
    public void CompleteRepair(RepairOutcome outcome, string report, IReadOnlyList<PartUsed> partsUsed, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        var current = RequireEngineer(ServiceTicketLifecycle.Triggers.CompleteRepair, cause);
        var check = new RuleCheck().Require(Enum.IsDefined(outcome), "outcome", "is not a known outcome").RequireText(report, "report", 4000);
        PartUsed.Check(partsUsed, check);
        check.ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.CompleteRepair, cause);
        current.Close(FieldWorkOrderStatus.Completed, cause.At, report, outcome);
        current.RecordPartsUsed(partsUsed);
        Resolution = report.Trim();
    }

    /// <summary>The engineer cannot finish on site: parts or a factory return are needed, and the supervisor will reassign.</summary>
    public void NeedParts(PartsNeed need, string note, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        var current = RequireEngineer(ServiceTicketLifecycle.Triggers.NeedParts, cause);
        new RuleCheck().Require(Enum.IsDefined(need), "need", "is not a known need").RequireText(note, "note", 1000).ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.NeedParts, cause, note);
        current.Close(FieldWorkOrderStatus.NeedsParts, cause.At, note, partsNeed: need);
    }

    /// <summary>Schedules a follow-up visit (回访) by <paramref name="assignedTo"/>, due at <paramref name="dueAt"/>.</summary>
    public FollowUpVisit ScheduleFollowUp(Guid visitId, string assignedTo, DateTimeOffset dueAt, StateChangeCause cause)
    {
        if (_followUps.FirstOrDefault(f => f.Id == visitId) is { } earlier)
            return earlier;
        StateTable.RequireCause(cause);
        new RuleCheck()
            .Require(visitId != Guid.Empty, "visitId", "must not be empty")
            .RequireText(assignedTo, "assignedTo", 64)
            .Require(dueAt >= cause.At, "dueAt", "must not be in the past")
            .ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.ScheduleFollowUp, cause);
        var visit = FollowUpVisit.Schedule(visitId, Id, assignedTo, dueAt);
        _followUps.Add(visit);
        return visit;
    }

    /// <summary>The customer answered the follow-up with a satisfaction score of 1 to 5: the ticket closes.</summary>
    public void RecordFollowUpAnswered(int satisfaction, string? remarks, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        new RuleCheck()
            .Require(satisfaction is >= FollowUpVisit.MinSatisfaction and <= FollowUpVisit.MaxSatisfaction, "satisfaction",
                $"must be from {FollowUpVisit.MinSatisfaction} to {FollowUpVisit.MaxSatisfaction}")
            .OptionalText(remarks, "remarks", 2000)
            .ThrowIfBroken();
        ServiceTicketLifecycle.Default.Require(Status, ServiceTicketLifecycle.Triggers.FollowUpAnswered);
        var visit = RequireFollowUp();
        Fire(ServiceTicketLifecycle.Triggers.FollowUpAnswered, cause);
        visit.Answered(satisfaction, remarks, cause.At);
    }

    /// <summary>
    /// Nobody answered the follow-up call: it is rescheduled after the policy's interval, or, at the
    /// policy's last attempt, given up and the ticket closed.
    /// </summary>
    public void RecordFollowUpUnanswered(FollowUpPolicy policy, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        policy.Validate();
        ServiceTicketLifecycle.Default.Require(Status, ServiceTicketLifecycle.Triggers.RescheduleFollowUp);
        var visit = RequireFollowUp();
        var retry = visit.Unanswered(policy, cause.At);
        Fire(retry ? ServiceTicketLifecycle.Triggers.RescheduleFollowUp : ServiceTicketLifecycle.Triggers.FollowUpAbandoned, cause,
            $"unanswered, attempt {visit.Attempts} of {policy.MaxAttempts}");
    }

    /// <summary>Closes a solved ticket that needs no follow-up.</summary>
    public void Close(StateChangeCause cause) => Step(ServiceTicketLifecycle.Triggers.Close, cause);

    /// <summary>The customer withdrew before a repair started.</summary>
    public void Withdraw(string reason, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        new RuleCheck().RequireText(reason, "reason", 500).ThrowIfBroken();
        Fire(ServiceTicketLifecycle.Triggers.Withdraw, cause, reason);
        CurrentFieldWorkOrder?.Close(FieldWorkOrderStatus.Withdrawn, cause.At, "withdrawn by the customer: " + reason.Trim());
    }

    /// <summary>Moves the ticket to another customer: used when a duplicate customer is merged into its survivor.</summary>
    public void MoveToCustomer(Guid customerId)
    {
        new RuleCheck().Require(customerId != Guid.Empty, "customerId", "must not be empty").ThrowIfBroken();
        CustomerId = customerId;
    }

    private void Solve(string trigger, string resolution, StateChangeCause cause)
    {
        if (StateTable.AlreadyApplied(_history, cause))
            return;
        new RuleCheck().RequireText(resolution, "resolution", 4000).ThrowIfBroken();
        Fire(trigger, cause);
        Resolution = resolution.Trim();
    }

    private FieldWorkOrder Issue(string trigger, Guid fieldWorkOrderId, string engineerId, StateChangeCause cause)
    {
        if (_fieldWorkOrders.FirstOrDefault(f => f.Id == fieldWorkOrderId) is { } earlier)
            return earlier;
        StateTable.RequireCause(cause);
        new RuleCheck()
            .Require(fieldWorkOrderId != Guid.Empty, "fieldWorkOrderId", "must not be empty")
            .RequireText(engineerId, "engineerId", 64)
            .ThrowIfBroken();
        var previous = CurrentFieldWorkOrder;
        Fire(trigger, cause);
        previous?.Close(FieldWorkOrderStatus.Reassigned, cause.At, $"reassigned by {cause.Actor.Trim()}");
        var order = FieldWorkOrder.Issue(fieldWorkOrderId, this, _fieldWorkOrders.Count + 1, engineerId, cause);
        _fieldWorkOrders.Add(order);
        return order;
    }

    // Only the engineer the job is with may act on it.
    private FieldWorkOrder RequireEngineer(string trigger, StateChangeCause cause)
    {
        ServiceTicketLifecycle.Default.Require(Status, trigger);
        var current = CurrentFieldWorkOrder;
        new RuleCheck()
            .Require(current is not null, "status", $"ticket {Number} has no field work order with an engineer")
            .Require(current is null || string.Equals(current.EngineerId, cause.Actor.Trim(), StringComparison.OrdinalIgnoreCase), "engineerId",
                $"field work order {current?.Number} is with {current?.EngineerId}")
            .ThrowIfBroken();
        return current!;
    }

    private FollowUpVisit RequireFollowUp() =>
        CurrentFollowUp ?? throw DomainRuleViolation.Of("status", $"ticket {Number} has no follow-up visit waiting");

    private void Step(string trigger, StateChangeCause cause)
    {
        if (!StateTable.AlreadyApplied(_history, cause))
            Fire(trigger, cause);
    }

    private void Fire(string trigger, StateChangeCause cause, string? reason = null)
    {
        var change = ServiceTicketLifecycle.Default.Step(Status, trigger, cause, reason);
        _history.Add(change);
        Status = change.To;
        StatusChangedAt = change.At;
    }
}
