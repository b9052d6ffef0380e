using System.Collections.Concurrent;
using Hub.Functions.Hosting;
using Hub.Functions.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Tests;

/// <summary>
/// Timer triggers on the store: several instances (schedulers sharing one database) run each occurrence once, a
/// failed occurrence is run again, and an occurrence held by an instance that died is taken over.
/// </summary>
public sealed class TimerTriggerTests : IAsyncLifetime
{
    private FunctionsHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionsHost.StartAsync([]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>An instance of the functions host, as far as timers go: its own scheduler over the shared store.</summary>
    private TimerFunctionScheduler Instance(ManualClock clock, TimerFunctionRegistration timer, FunctionsHost? host = null)
    {
        var services = (host ?? _host).App.Services;
        return new TimerFunctionScheduler(services.GetRequiredService<IServiceScopeFactory>(), [timer], services.GetRequiredService<IBus>(), clock,
            services.GetRequiredService<IOptions<FunctionsOptions>>(), NullLogger<TimerFunctionScheduler>.Instance);
    }

    private static TimerFunctionRegistration Timer<T>(string cron) where T : ITimerFunction =>
        new(typeof(T), typeof(T).Name + "-" + Guid.NewGuid().ToString("N")[..8], CronSchedule.Parse(cron));

    private Task<FunctionTimer> Row(string name, FunctionsHost? host = null) =>
        (host ?? _host).Query(db => db.Set<FunctionTimer>().AsNoTracking().SingleAsync(t => t.Name == name));

    [Fact]
    public Task Instances_sharing_a_sqlite_store_run_each_occurrence_once_and_skip_missed_ones() => InstancesRunEachOccurrenceOnce(_host);

    [PostgresFact]
    public async Task Instances_sharing_a_postgresql_store_run_each_occurrence_once_and_skip_missed_ones()
    {
        await using var host = await FunctionsHost.StartAsync([], postgres: true);
        await InstancesRunEachOccurrenceOnce(host);
    }

    private async Task InstancesRunEachOccurrenceOnce(FunctionsHost host)
    {
        var clock = new ManualClock(FunctionsHost.DefaultStart); // 10:00 in Shanghai
        var timer = Timer<CountingTimer>("*/5 * * * *");
        var instances = Enumerable.Range(0, 3).Select(_ => Instance(clock, timer, host)).ToArray();
        await instances[0].RunDueAsync();
        Assert.Equal(new DateTime(2026, 3, 2, 2, 5, 0, DateTimeKind.Utc), (await Row(timer.Name, host)).NextOccurrence);

        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
        await Task.WhenAll(instances.SelectMany(i => Enumerable.Range(0, 5).Select(_ => Task.Run(() => i.RunDueAsync()))));
        clock.Advance(TimeSpan.FromMinutes(15)); // 10:20:10: 10:10, 10:15 and 10:20 have passed
        await Task.WhenAll(instances.SelectMany(i => Enumerable.Range(0, 5).Select(_ => Task.Run(() => i.RunDueAsync()))));

        var runs = CountingTimer.Runs[timer.Name].OrderBy(r => r.ScheduledTime).ToArray();
        Assert.Equal([new DateTimeOffset(2026, 3, 2, 2, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 2, 10, 0, TimeSpan.Zero)],
            runs.Select(r => r.ScheduledTime));
        Assert.Equal([false, true], runs.Select(r => r.IsPastDue));
        var row = await Row(timer.Name, host);
        Assert.Equal(new DateTime(2026, 3, 2, 2, 25, 0, DateTimeKind.Utc), row.NextOccurrence);
        Assert.Equal(new DateTime(2026, 3, 2, 2, 10, 0, DateTimeKind.Utc), row.LastOccurrence);
        Assert.Null(row.LockId);
    }

    [Fact]
    public async Task A_failed_occurrence_stays_due_and_runs_again_after_the_retry_delay_with_the_same_invocation_id()
    {
        var clock = new ManualClock(FunctionsHost.DefaultStart);
        var timer = Timer<FailingOnceTimer>("0 * * * *");
        var instance = Instance(clock, timer);
        await instance.RunDueAsync();
        clock.Advance(TimeSpan.FromMinutes(60));

        await instance.RunDueAsync();
        var failed = await Row(timer.Name);
        Assert.StartsWith("InvalidOperationException: first attempt fails", failed.LastError);
        Assert.Equal(new DateTime(2026, 3, 2, 3, 0, 0, DateTimeKind.Utc), failed.NextOccurrence);

        clock.Advance(TimeSpan.FromSeconds(30));
        await instance.RunDueAsync();
        Assert.Single(FailingOnceTimer.Attempts[timer.Name]);

        clock.Advance(TimeSpan.FromSeconds(31));
        await instance.RunDueAsync();
        var attempts = FailingOnceTimer.Attempts[timer.Name].ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal(attempts[0].MessageId, attempts[1].MessageId);
        Assert.Equal(2, attempts.Max(a => a.DeliveryCount));
        var done = await Row(timer.Name);
        Assert.Null(done.LastError);
        Assert.Equal(new DateTime(2026, 3, 2, 3, 0, 0, DateTimeKind.Utc), done.LastOccurrence);
        Assert.Equal(new DateTime(2026, 3, 2, 4, 0, 0, DateTimeKind.Utc), done.NextOccurrence);
    }

    [Fact]
    public async Task An_occurrence_held_by_an_instance_that_died_is_taken_over_when_its_lease_ends()
    {
        var clock = new ManualClock(FunctionsHost.DefaultStart);
        var timer = Timer<CountingTimer>("0 * * * *");
        var survivor = Instance(clock, timer);
        await survivor.RunDueAsync();
        clock.Advance(TimeSpan.FromMinutes(60));
        // Another instance claimed 11:00 and died before finishing.
        var leaseEnds = clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(5);
        await _host.Query(db => db.Set<FunctionTimer>().Where(t => t.Name == timer.Name)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockId, Guid.NewGuid()).SetProperty(t => t.LockedUntil, leaseEnds)));

        await survivor.RunDueAsync();
        Assert.False(CountingTimer.Runs.ContainsKey(timer.Name));

        clock.Advance(TimeSpan.FromMinutes(5));
        await survivor.RunDueAsync();
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero), Assert.Single(CountingTimer.Runs[timer.Name]).ScheduledTime);
    }
}

/// <summary>Records each occurrence it runs; takes a moment, so concurrent instances overlap.</summary>
public sealed class CountingTimer : ITimerFunction
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<TimerInfo>> Runs = new();

    public async Task Run(TimerInfo timer, FunctionContext context)
    {
        Runs.GetOrAdd(context.FunctionName, _ => []).Add(timer);
        await Task.Delay(50);
    }
}

/// <summary>Fails its first attempt.</summary>
public sealed class FailingOnceTimer : ITimerFunction
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<FunctionContext>> Attempts = new();

    public Task Run(TimerInfo timer, FunctionContext context)
    {
        var attempts = Attempts.GetOrAdd(context.FunctionName, _ => new ConcurrentQueue<FunctionContext>());
        attempts.Enqueue(context);
        return attempts.Count == 1 ? throw new InvalidOperationException("first attempt fails") : Task.CompletedTask;
    }
}
