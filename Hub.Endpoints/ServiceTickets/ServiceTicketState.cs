using MassTransit;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// Persistent state of one ticket's lifecycle saga: the last step it followed (by <see cref="Sequence"/>, so a late or repeated
/// event changes nothing), the deadline running in that state and the follow-up call being waited for.
/// </summary>
public sealed class ServiceTicketState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "";

    public string TicketNumber { get; set; } = "";
    /// <summary>The domain status of the last step followed (the saga's state has the same name).</summary>
    public string Status { get; set; } = "";
    /// <summary>History position of the last step followed.</summary>
    public int Sequence { get; set; }
    /// <summary>When the current state was entered: the start of its deadline.</summary>
    public DateTimeOffset EnteredAt { get; set; }
    public string OpenedBy { get; set; } = "";
    public string? OfficeId { get; set; }
    public string? EngineerUserId { get; set; }
    public bool FollowUpWanted { get; set; }
    public Guid? FollowUpVisitId { get; set; }
    /// <summary>Calls made on the follow-up visit when its due time was scheduled.</summary>
    public int FollowUpAttempts { get; set; }
    /// <summary>Deadline alarms raised over the ticket's life.</summary>
    public int AlarmsRaised { get; set; }
    /// <summary>Token of the scheduled deadline, so it can be cancelled.</summary>
    public Guid? DeadlineTokenId { get; set; }
    /// <summary>Token of the scheduled follow-up due time.</summary>
    public Guid? FollowUpTokenId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
