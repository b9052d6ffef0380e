using Crm.Contracts.ServiceTickets;
using Crm.Domain;
using Crm.Domain.ServiceTickets;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// The service ticket lifecycle (003 §3.7, 002 §5.2) as the hub follows it: one named state per domain status, entered from
/// the ticket's <see cref="ServiceTicketStatusChanged"/> events. Each waiting state runs its deadline (时限) from
/// <see cref="ServiceTicketLifecycleOptions"/>; a missed one raises <see cref="ServiceTicketDeadlineExceeded"/>. A solved ticket
/// gets its follow-up visit (回访) or is closed; a follow-up not answered by its due time is rescheduled per the follow-up policy.
/// Events carry the ticket's history position, so a duplicate or an older event arriving late changes nothing.
/// </summary>
public sealed class ServiceTicketStateMachine : MassTransitStateMachine<ServiceTicketState>
{
    /// <summary>Saga name recorded as the actor of the steps it asks for.</summary>
    public const string Actor = "service-ticket-saga";

    public State Open { get; private set; } = null!;
    public State AwaitingReview { get; private set; } = null!;
    public State Dispatched { get; private set; } = null!;
    public State Assigned { get; private set; } = null!;
    public State Accepted { get; private set; } = null!;
    public State AwaitingParts { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Resolved { get; private set; } = null!;
    public State FollowingUp { get; private set; } = null!;
    public State Closed { get; private set; } = null!;
    public State Withdrawn { get; private set; } = null!;

    public Event<ServiceTicketStatusChanged> StatusChanged { get; private set; } = null!;

    public Schedule<ServiceTicketState, ServiceTicketDeadlineExpired> Deadline { get; private set; } = null!;
    public Schedule<ServiceTicketState, ServiceTicketFollowUpDue> FollowUpDue { get; private set; } = null!;

    private static readonly Uri Tickets = HubQueues.Address(HubQueues.ServiceTickets);

    public ServiceTicketStateMachine(IOptions<ServiceTicketLifecycleOptions> options)
    {
        var lifecycle = options.Value;
        var table = lifecycle.Table();
        InstanceState(x => x.CurrentState);

        Event(() => StatusChanged, e => e.CorrelateById(m => m.Message.TicketId));
        Schedule(() => Deadline, x => x.DeadlineTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.TicketId));
        Schedule(() => FollowUpDue, x => x.FollowUpTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.TicketId));

        Initially(When(StatusChanged).Follow(this, table, lifecycle));

        DuringAny(
            When(StatusChanged).If(ctx => ctx.Message.Sequence > ctx.Saga.Sequence, newer => newer.Follow(this, table, lifecycle)),
            // Only the deadline of the state entry still in force alarms; one left over from an earlier entry is stale.
            When(Deadline.Received)
                .If(ctx => ctx.Message.Sequence == ctx.Saga.Sequence && !table.IsFinal(ctx.Saga.Status), due => due
                    .Then(ctx => { ctx.Saga.AlarmsRaised++; ctx.Saga.UpdatedAt = DateTimeOffset.UtcNow; })
                    .Publish(ctx => new ServiceTicketDeadlineExceeded(ctx.Saga.CorrelationId, ctx.Saga.TicketNumber, ctx.Saga.OpenedBy,
                        ctx.Saga.OfficeId, ctx.Saga.EngineerUserId, ctx.Saga.Status,
                        table.DueAt(ctx.Saga.Status, ctx.Saga.EnteredAt) ?? ctx.Saga.EnteredAt, DateTimeOffset.UtcNow))),
            // Nobody recorded an answer by the due time: the call counts as unanswered, and the domain reschedules or gives up.
            When(FollowUpDue.Received)
                .If(ctx => ctx.Saga.Status == ServiceTicketStatus.FollowingUp && ctx.Message.VisitId == ctx.Saga.FollowUpVisitId
                           && ctx.Message.Attempts == ctx.Saga.FollowUpAttempts, due => due
                    .Send(Tickets, ctx => new RecordFollowUpUnanswered(ctx.Saga.CorrelationId,
                        ServiceTicketIds.Derived(ctx.Saga.CorrelationId, $"follow-up-unanswered/{ctx.Message.VisitId}/{ctx.Message.Attempts}"),
                        Actor, null, DateTimeOffset.UtcNow))));
    }
}

/// <summary>The step every newer status event takes, in the order the process table reads.</summary>
internal static class ServiceTicketSagaSteps
{
    private static readonly Uri Tickets = HubQueues.Address(HubQueues.ServiceTickets);

    public static EventActivityBinder<ServiceTicketState, ServiceTicketStatusChanged> Follow(
        this EventActivityBinder<ServiceTicketState, ServiceTicketStatusChanged> binder, ServiceTicketStateMachine machine, StateTable table,
        ServiceTicketLifecycleOptions lifecycle) =>
        binder
            .Then(ctx => Record(ctx.Saga, ctx.Message))
            .Unschedule(machine.Deadline)
            .If(ctx => table.DueAt(ctx.Message.Status, ctx.Message.OccurredAt) is not null, waiting => waiting
                .Schedule(machine.Deadline, ctx => new ServiceTicketDeadlineExpired(ctx.Saga.CorrelationId, ctx.Message.Status, ctx.Message.Sequence),
                    ctx => table.DueAt(ctx.Message.Status, ctx.Message.OccurredAt)!.Value.UtcDateTime))
            .ThenAsync(ctx => ctx.TransitionToState(machine.GetState(ctx.Message.Status)))
            .Unschedule(machine.FollowUpDue)
            .If(ctx => ctx.Message is { Status: ServiceTicketStatus.FollowingUp, FollowUp.Status: nameof(FollowUpStatus.Scheduled) }, calling => calling
                .Schedule(machine.FollowUpDue, ctx => new ServiceTicketFollowUpDue(ctx.Saga.CorrelationId, ctx.Message.FollowUp!.VisitId, ctx.Message.FollowUp.Attempts),
                    ctx => ctx.Message.FollowUp!.DueAt.UtcDateTime))
            .If(ctx => IsSolved(ctx.Message.Status) && ctx.Message.FollowUpWanted, followUp => followUp
                .Send(Tickets, ctx => new ScheduleServiceTicketFollowUp(ctx.Saga.CorrelationId,
                    ServiceTicketIds.Derived(ctx.Saga.CorrelationId, $"schedule-follow-up/{ctx.Message.Sequence}"), ServiceTicketStateMachine.Actor,
                    ServiceTicketIds.Derived(ctx.Saga.CorrelationId, "follow-up-visit"), ctx.Message.OpenedBy,
                    DateTimeOffset.UtcNow + lifecycle.FollowUpAfter, null, DateTimeOffset.UtcNow)))
            .If(ctx => IsSolved(ctx.Message.Status) && !ctx.Message.FollowUpWanted, close => close
                .Send(Tickets, ctx => new CloseServiceTicket(ctx.Saga.CorrelationId,
                    ServiceTicketIds.Derived(ctx.Saga.CorrelationId, $"close/{ctx.Message.Sequence}"), ServiceTicketStateMachine.Actor, null,
                    DateTimeOffset.UtcNow)));

    private static bool IsSolved(string status) => status is ServiceTicketStatus.Completed or ServiceTicketStatus.Resolved;

    private static void Record(ServiceTicketState saga, ServiceTicketStatusChanged m)
    {
        saga.TicketNumber = m.TicketNumber;
        saga.Status = m.Status;
        saga.Sequence = m.Sequence;
        saga.EnteredAt = m.OccurredAt;
        saga.OpenedBy = m.OpenedBy;
        saga.OfficeId = m.OfficeId;
        saga.EngineerUserId = m.FieldWorkOrders.OrderBy(f => f.Sequence).LastOrDefault()?.EngineerUserId;
        saga.FollowUpWanted = m.FollowUpWanted;
        saga.FollowUpVisitId = m.FollowUp?.VisitId;
        saga.FollowUpAttempts = m.FollowUp?.Attempts ?? 0;
        saga.UpdatedAt = DateTimeOffset.UtcNow;
    }
}
