using Crm.Contracts.ServiceTickets;
using Hub.Endpoints.ServiceTickets;
using MassTransit;
using Hub.TestSupport;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.ServiceTickets;

/// <summary>The service ticket saga on MassTransit's test harness: every path, duplicates, out-of-order events, deadlines, follow-ups.</summary>
public sealed class ServiceTicketStateMachineTests : IAsyncLifetime
{
    private readonly Guid _ticketId = NewId.NextGuid();
    private readonly DateTimeOffset _openedAt = DateTimeOffset.UtcNow;
    private Saga _saga = null!;

    public async Task InitializeAsync() => _saga = await Saga.StartAsync(o => o.Deadlines["Assigned"] = TimeSpan.FromHours(1));

    public async Task DisposeAsync() => await _saga.DisposeAsync();

    private static FieldWorkOrderSummary Fwo(int sequence, string engineer, string status) => new(
        Guid.Parse($"00000000-0000-0000-0000-{sequence:000000000000}"), $"ST1-F{sequence:00}", sequence, "office-wuhan", engineer, "sup-wu",
        DateTimeOffset.UtcNow, status, null, null, null, null, null, []);

    private ServiceTicketStatusChanged Step(int sequence, string? from, string status, string trigger, bool followUpWanted = false,
        FieldWorkOrderSummary[]? orders = null, FollowUpVisitSummary? followUp = null, DateTimeOffset? at = null) =>
        new(_ticketId, "ST1", sequence, from, status, trigger, null, "someone", "C1001", "Request", "Lift stays down", "agent-07",
            sequence >= 3 ? "office-wuhan" : null, followUpWanted, sequence, orders ?? [], followUp, at ?? _openedAt.AddMinutes(sequence));

    [Fact]
    public async Task Ticket_follows_the_field_repair_path_and_is_closed_after_completion_without_follow_up()
    {
        await _saga.Publish(Step(1, null, "Open", "Open"));
        await _saga.InState(_ticketId, "Open");
        await _saga.Publish(Step(2, "Open", "AwaitingReview", "Submit"));
        await _saga.Publish(Step(3, "AwaitingReview", "Dispatched", "Dispatch"));
        await _saga.Publish(Step(4, "Dispatched", "Assigned", "AssignEngineer", orders: [Fwo(1, "eng-zhang", "Issued")]));
        var assigned = await _saga.InState(_ticketId, "Assigned");
        Assert.Equal("eng-zhang", assigned.EngineerUserId);
        Assert.NotNull(assigned.DeadlineTokenId);
        await _saga.Publish(Step(5, "Assigned", "Accepted", "Accept", orders: [Fwo(1, "eng-zhang", "Accepted")]));
        await _saga.Publish(Step(6, "Accepted", "Completed", "CompleteRepair", orders: [Fwo(1, "eng-zhang", "Completed")]));
        await _saga.InState(_ticketId, "Completed");

        Assert.True(await _saga.Harness.Sent.Any<CloseServiceTicket>(m => m.Context.Message.TicketId == _ticketId));
        Assert.False(await _saga.Harness.Sent.Any<ScheduleServiceTicketFollowUp>());
        await _saga.Publish(Step(7, "Completed", "Closed", "Close"));
        var closed = await _saga.InState(_ticketId, "Closed");
        Assert.Equal(7, closed.Sequence);
    }

    [Fact]
    public async Task Declined_work_order_goes_back_to_dispatched_and_a_reassignment_follows_the_new_engineer()
    {
        await _saga.Publish(Step(4, "Dispatched", "Assigned", "AssignEngineer", orders: [Fwo(1, "eng-zhang", "Issued")]));
        await _saga.InState(_ticketId, "Assigned");
        await _saga.Publish(Step(5, "Assigned", "Dispatched", "Decline", orders: [Fwo(1, "eng-zhang", "Declined")]));
        await _saga.InState(_ticketId, "Dispatched");
        await _saga.Publish(Step(6, "Dispatched", "Assigned", "AssignEngineer", orders: [Fwo(1, "eng-zhang", "Declined"), Fwo(2, "eng-li", "Issued")]));
        var reassigned = await _saga.InState(_ticketId, "Assigned");
        Assert.Equal("eng-li", reassigned.EngineerUserId);
    }

    [Fact]
    public async Task Parts_needed_waits_in_awaiting_parts_then_the_reassigned_engineer_completes()
    {
        await _saga.Publish(Step(5, "Assigned", "Accepted", "Accept", orders: [Fwo(1, "eng-zhang", "Accepted")]));
        await _saga.Publish(Step(6, "Accepted", "AwaitingParts", "NeedParts", orders: [Fwo(1, "eng-zhang", "NeedsParts")]));
        var waiting = await _saga.InState(_ticketId, "AwaitingParts");
        Assert.Equal(6, waiting.Sequence);
        await _saga.Publish(Step(7, "AwaitingParts", "Assigned", "Reassign", orders: [Fwo(1, "eng-zhang", "NeedsParts"), Fwo(2, "eng-factory", "Issued")]));
        await _saga.Publish(Step(8, "Assigned", "Accepted", "Accept", orders: [Fwo(1, "eng-zhang", "NeedsParts"), Fwo(2, "eng-factory", "Accepted")]));
        await _saga.Publish(Step(9, "Accepted", "Completed", "CompleteRepair", followUpWanted: true,
            orders: [Fwo(1, "eng-zhang", "NeedsParts"), Fwo(2, "eng-factory", "Completed")]));
        var completed = await _saga.InState(_ticketId, "Completed");
        Assert.Equal("eng-factory", completed.EngineerUserId);
        Assert.True(await _saga.Harness.Sent.Any<ScheduleServiceTicketFollowUp>(m => m.Context.Message.TicketId == _ticketId && m.Context.Message.AssignedTo == "agent-07"));
        Assert.False(await _saga.Harness.Sent.Any<CloseServiceTicket>());
    }

    [Fact]
    public async Task Withdrawn_ticket_stops_its_deadline()
    {
        await _saga.Publish(Step(2, "Open", "AwaitingReview", "Submit"));
        await _saga.InState(_ticketId, "AwaitingReview");
        await _saga.Publish(Step(3, "AwaitingReview", "Withdrawn", "Withdraw"));
        var withdrawn = await _saga.InState(_ticketId, "Withdrawn");
        Assert.Null(withdrawn.DeadlineTokenId);
    }

    [Fact]
    public async Task Duplicate_events_change_nothing_and_ask_for_closing_once()
    {
        var completed = Step(6, "Accepted", "Completed", "CompleteRepair");
        await _saga.Publish(completed);
        await _saga.InState(_ticketId, "Completed");
        await _saga.Publish(completed);
        await _saga.Publish(completed);
        await _saga.Harness.InactivityTask;

        Assert.Single(_saga.Harness.Sent.Select<CloseServiceTicket>());
        Assert.False(await _saga.Harness.Published.Any<Fault>());
        Assert.Equal("Completed", _saga.Repository.Contains(_ticketId)!.CurrentState);
    }

    [Fact]
    public async Task An_older_event_arriving_after_a_newer_one_is_ignored()
    {
        await _saga.Publish(Step(5, "Assigned", "Accepted", "Accept", orders: [Fwo(1, "eng-zhang", "Accepted")]));
        await _saga.InState(_ticketId, "Accepted");
        // Opened and assigned overtaken by acceptance: they arrive late and must not move the ticket back.
        await _saga.Publish(Step(1, null, "Open", "Open"));
        await _saga.Publish(Step(4, "Dispatched", "Assigned", "AssignEngineer", orders: [Fwo(1, "eng-zhang", "Issued")]));
        await _saga.Harness.InactivityTask;

        var saga = _saga.Repository.Contains(_ticketId)!;
        Assert.Equal(("Accepted", 5), (saga.CurrentState, saga.Sequence));
    }

    [Fact]
    public async Task Follow_up_due_without_an_answer_is_recorded_as_unanswered_once_per_attempt()
    {
        var visit = new FollowUpVisitSummary(Guid.NewGuid(), "agent-07", DateTimeOffset.UtcNow.AddMilliseconds(300), 0, "Scheduled", null, null);
        await _saga.Publish(Step(7, "Completed", "FollowingUp", "ScheduleFollowUp", followUpWanted: true, followUp: visit));

        var unanswered = await Eventually.Get(() => Task.FromResult(_saga.Harness.Sent.Select<RecordFollowUpUnanswered>().ToList()),
            sent => sent.Count >= 1, TimeSpan.FromSeconds(15), "follow-up recorded unanswered");
        Assert.Equal(_ticketId, unanswered[0].Context.Message.TicketId);

        // The domain rescheduled it (attempt 1 of 3): the saga waits for the new due time.
        var rescheduled = visit with { Attempts = 1, DueAt = DateTimeOffset.UtcNow.AddMilliseconds(300) };
        await _saga.Publish(Step(8, "FollowingUp", "FollowingUp", "RescheduleFollowUp", followUpWanted: true, followUp: rescheduled));
        var second = await Eventually.Get(() => Task.FromResult(_saga.Harness.Sent.Select<RecordFollowUpUnanswered>().ToList()),
            sent => sent.Count >= 2, TimeSpan.FromSeconds(15), "second unanswered call");
        Assert.NotEqual(second[0].Context.Message.CommandId, second[1].Context.Message.CommandId);

        // Answered before the next due time: nothing more is asked.
        await _saga.Publish(Step(9, "FollowingUp", "Closed", "FollowUpAnswered", followUpWanted: true,
            followUp: rescheduled with { Attempts = 2, Status = "Answered", Satisfaction = 5 }));
        var closed = await _saga.InState(_ticketId, "Closed");
        Assert.Null(closed.FollowUpTokenId);
    }
}

/// <summary>Deadlines need short waits, so they have their own harness.</summary>
public sealed class ServiceTicketDeadlineTests
{
    [Fact]
    public async Task Missed_deadline_raises_one_alarm_naming_owner_office_and_engineer()
    {
        await using var saga = await Saga.StartAsync(o => o.Deadlines["Assigned"] = TimeSpan.FromMilliseconds(500));
        var id = NewId.NextGuid();
        var order = new FieldWorkOrderSummary(Guid.NewGuid(), "ST1-F01", 1, "office-wuhan", "eng-zhang", "sup-wu", DateTimeOffset.UtcNow, "Issued",
            null, null, null, null, null, []);
        await saga.Publish(new ServiceTicketStatusChanged(id, "ST1", 4, "Dispatched", "Assigned", "AssignEngineer", null, "sup-wu", "C1001", "Request",
            "Lift", "agent-07", "office-wuhan", false, 4, [order], null, DateTimeOffset.UtcNow));

        Assert.True(await saga.Harness.Published.Any<ServiceTicketDeadlineExceeded>(m => m.Context.Message.TicketId == id
            && m.Context.Message.State == "Assigned" && m.Context.Message.OwnerUserId == "agent-07"
            && m.Context.Message.OfficeId == "office-wuhan" && m.Context.Message.EngineerUserId == "eng-zhang"));
        await saga.Harness.InactivityTask;
        Assert.Single(saga.Harness.Published.Select<ServiceTicketDeadlineExceeded>());
        Assert.Equal(1, saga.Repository.Contains(id)!.AlarmsRaised);
    }

    [Fact]
    public async Task Leaving_the_state_in_time_raises_no_alarm()
    {
        await using var saga = await Saga.StartAsync(o => o.Deadlines["AwaitingReview"] = TimeSpan.FromSeconds(1));
        var id = NewId.NextGuid();
        ServiceTicketStatusChanged Step(int seq, string from, string to) =>
            new(id, "ST1", seq, from, to, "x", null, "agent-07", "C1001", "Request", "Lift", "agent-07", null, false, seq, [], null, DateTimeOffset.UtcNow);
        await saga.Publish(Step(2, "Open", "AwaitingReview"));
        await saga.InState(id, "AwaitingReview");
        await saga.Publish(Step(3, "AwaitingReview", "Withdrawn"));
        await saga.InState(id, "Withdrawn");
        // Past the deadline that was cancelled: a harness idle for two seconds saw no alarm.
        saga.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(2);
        await saga.Harness.InactivityTask;
        Assert.False(await saga.Harness.Published.Any<ServiceTicketDeadlineExceeded>());
    }

    [Fact]
    public void Deadlines_that_are_not_states_of_the_lifecycle_are_refused_at_start()
    {
        var options = new ServiceTicketLifecycleOptions { Deadlines = { ["Teleported"] = TimeSpan.FromHours(1), ["Closed"] = TimeSpan.FromHours(1) }, FollowUpMaxAttempts = 0 };
        var result = new ServiceTicketLifecycleOptionsValidation().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Teleported"));
        Assert.Contains(result.Failures!, f => f.Contains("Closed"));
        Assert.Contains(result.Failures!, f => f.Contains("maxAttempts"));
    }
}

/// <summary>The ticket saga on the test harness with an in-memory repository and the delayed scheduler.</summary>
internal sealed class Saga : IAsyncDisposable
{
    private ServiceProvider _provider = null!;

    public ITestHarness Harness { get; private set; } = null!;
    public ISagaList<ServiceTicketState> Repository => Machine.Sagas;
    public ISagaStateMachineTestHarness<ServiceTicketStateMachine, ServiceTicketState> Machine { get; private set; } = null!;

    public static async Task<Saga> StartAsync(Action<ServiceTicketLifecycleOptions> configure)
    {
        var saga = new Saga();
        saga._provider = new ServiceCollection()
            .AddOptions<ServiceTicketLifecycleOptions>().Configure(configure).Services
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<ServiceTicketStateMachine, ServiceTicketState>().InMemoryRepository();
                x.AddDelayedMessageScheduler();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        saga.Harness = saga._provider.GetRequiredService<ITestHarness>();
        saga.Harness.TestTimeout = TimeSpan.FromSeconds(15);
        saga.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(3);
        await saga.Harness.Start();
        saga.Machine = saga.Harness.GetSagaStateMachineHarness<ServiceTicketStateMachine, ServiceTicketState>();
        return saga;
    }

    public Task Publish<T>(T message) where T : class => Harness.Bus.Publish(message);

    public async Task<ServiceTicketState> InState(Guid id, string state)
    {
        var found = await Machine.Exists(id, m => m.GetState(state), Harness.TestTimeout);
        Assert.True(found.HasValue, $"ticket did not reach {state}; it is {Repository.Contains(id)?.CurrentState}");
        return Repository.Contains(id)!;
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
