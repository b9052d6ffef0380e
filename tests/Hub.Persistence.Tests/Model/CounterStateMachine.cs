using Hub.Persistence.Tests.Contracts;
using MassTransit;

namespace Hub.Persistence.Tests.Model;

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, e => e.CorrelateById(c => c.Message.CorrelationId));
        Event(() => Incremented, e => e.CorrelateById(c => c.Message.CorrelationId));
        Event(() => Stopped, e => e.CorrelateById(c => c.Message.CorrelationId));
        Schedule(() => Deadline, x => x.DeadlineTokenId, s =>
        {
            s.Delay = TimeSpan.FromMinutes(1);
            s.Received = r => r.CorrelateById(c => c.Message.CorrelationId);
        });

        Initially(
            When(Started)
                .ThenAsync(c => Gates.Pass(c.Message.Gate, c.GetRetryAttempt()))
                .Then(c => c.Saga.Count = 1)
                .If(c => c.Message.DeadlineMs > 0, b => b.Schedule(Deadline, c => new CounterDeadlineExpired(c.Saga.CorrelationId),
                    c => TimeSpan.FromMilliseconds(c.Message.DeadlineMs)))
                .Publish(c => new CounterChanged(c.Saga.CorrelationId, c.Saga.Count))
                .TransitionTo(Active));

        During(Active,
            When(Started)
                .ThenAsync(c => Gates.Pass(c.Message.Gate, c.GetRetryAttempt()))
                .Then(c => c.Saga.Count++)
                .Publish(c => new CounterChanged(c.Saga.CorrelationId, c.Saga.Count)),
            When(Incremented)
                .ThenAsync(c => Gates.Pass(c.Message.Gate, c.GetRetryAttempt()))
                .Then(c => c.Saga.Count++)
                .Publish(c => new CounterChanged(c.Saga.CorrelationId, c.Saga.Count)),
            When(Deadline!.Received)
                .TransitionTo(Expired),
            When(Stopped)
                .Unschedule(Deadline)
                .TransitionTo(Done));
    }

    public State Active { get; private set; } = null!;
    public State Expired { get; private set; } = null!;
    public State Done { get; private set; } = null!;
    public Event<CounterStarted> Started { get; private set; } = null!;
    public Event<CounterIncremented> Incremented { get; private set; } = null!;
    public Event<CounterStopped> Stopped { get; private set; } = null!;
    public Schedule<CounterState, CounterDeadlineExpired> Deadline { get; private set; } = null!;
}
