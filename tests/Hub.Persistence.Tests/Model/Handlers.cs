using System.Collections.Concurrent;
using Hub.Persistence.Tests.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence.Tests.Model;

/// <summary>Writes a record and publishes an event in one consume; optionally fails after publishing.</summary>
public sealed class RecordThingConsumer(HubDbContext db) : IConsumer<RecordThing>
{
    public async Task Consume(ConsumeContext<RecordThing> context)
    {
        var attempt = context.GetRetryAttempt();
        db.Set<TestRecord>().Add(new TestRecord { Id = Guid.NewGuid(), Key = context.Message.Key, Attempt = attempt });
        await context.Publish(new ThingRecorded(context.Message.Key, attempt));
        await db.SaveChangesAsync(context.CancellationToken);
        if (attempt < context.Message.FailAttempts)
            throw new InvalidOperationException($"Simulated failure on attempt {attempt}");
    }
}

public sealed record Observation(string Key, int Attempt, Guid? MessageId, bool RecordVisible, DateTime ReceivedAt);

/// <summary>Records every <see cref="ThingRecorded"/> received, and whether the producer's record was already committed.</summary>
public sealed class ThingRecordedConsumer(HubDbContext db) : IConsumer<ThingRecorded>
{
    public static readonly ConcurrentQueue<Observation> Received = new();

    public async Task Consume(ConsumeContext<ThingRecorded> context)
    {
        var visible = await db.Set<TestRecord>().AnyAsync(r => r.Key == context.Message.Key, context.CancellationToken);
        Received.Enqueue(new Observation(context.Message.Key, context.Message.Attempt, context.MessageId, visible, DateTime.UtcNow));
    }

    public static Observation[] For(string key) => Received.Where(o => o.Key == key).ToArray();
}

public sealed class RecordThingFaultConsumer : IConsumer<Fault<RecordThing>>
{
    public static readonly ConcurrentQueue<string> Faulted = new();

    public Task Consume(ConsumeContext<Fault<RecordThing>> context)
    {
        Faulted.Enqueue(context.Message.Message.Key);
        return Task.CompletedTask;
    }
}

public sealed class CounterChangedConsumer : IConsumer<CounterChanged>
{
    public static readonly ConcurrentQueue<CounterChanged> Received = new();

    public Task Consume(ConsumeContext<CounterChanged> context)
    {
        Received.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public static int[] CountsFor(Guid id) => Received.Where(c => c.CorrelationId == id).Select(c => c.Count).Order().ToArray();
}

/// <summary>
/// Makes two messages meet before either saves (first attempt only), so both load the same saga version and one
/// of them must lose; bounded, so a serialized store just continues after the timeout.
/// </summary>
public static class Gates
{
    private static readonly ConcurrentDictionary<string, Gate> All = new();
    private static readonly ConcurrentDictionary<string, int> RetriedCounts = new();

    public static async Task Pass(string? name, int retryAttempt)
    {
        if (name is null)
            return;
        if (retryAttempt > 0)
        {
            RetriedCounts.AddOrUpdate(name, 1, (_, n) => n + 1);
            return;
        }
        var gate = All.GetOrAdd(name, _ => new Gate());
        if (Interlocked.Increment(ref gate.Arrived) >= 2)
            gate.Open.TrySetResult();
        await Task.WhenAny(gate.Open.Task, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public static int Retried(string name) => RetriedCounts.GetValueOrDefault(name);

    private sealed class Gate
    {
        public int Arrived;
        public readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Fails on first delivery; succeeds once MassTransit's scheduled redelivery (through the hub scheduler) brings it back.</summary>
public sealed class FlakyThingConsumer : IConsumer<FlakyThing>
{
    public static readonly ConcurrentQueue<(string Key, int Redelivery)> Handled = new();

    public Task Consume(ConsumeContext<FlakyThing> context)
    {
        var redelivery = context.GetRedeliveryCount();
        if (redelivery == 0)
            throw new TimeoutException("Simulated partner outage");
        Handled.Enqueue((context.Message.Key, redelivery));
        return Task.CompletedTask;
    }
}
