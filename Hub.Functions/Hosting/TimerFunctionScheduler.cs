using System.Security.Cryptography;
using System.Text;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Hosting;

/// <summary>A timer function found by <see cref="FunctionRegistration"/>: its class, name and schedule.</summary>
public sealed record TimerFunctionRegistration(Type Function, string Name, CronSchedule Schedule);

/// <summary>
/// Runs due timer functions every <see cref="TimerSettings.PollInterval"/>. Each function's next occurrence is a
/// <c>function_timer</c> row; an instance claims the occurrence with a conditional update (a lease), runs it, then
/// moves the row to the next occurrence after now, so any number of instances run each occurrence once. A failed
/// run keeps the occurrence due and is retried after <see cref="TimerSettings.RetryAfter"/>; a holder that dies
/// loses the occurrence to another instance when its lease ends.
/// </summary>
public sealed class TimerFunctionScheduler(
    IServiceScopeFactory scopes,
    IEnumerable<TimerFunctionRegistration> timers,
    IBus bus,
    TimeProvider clock,
    IOptions<FunctionsOptions> options,
    ILogger<TimerFunctionScheduler> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private readonly TimerFunctionRegistration[] _timers = timers.ToArray();

    /// <summary>Runs every timer function whose occurrence is due now (by the injected clock); returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var ran = 0;
        foreach (var timer in _timers)
            if (await RunIfDue(timer, cancellationToken))
                ran++;
        return ran;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timers.Length == 0)
            return;
        try
        {
            // The bus must be running before functions send anything.
            if (lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested)
            {
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
                await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
                    await started.Task;
            }
            using var timer = new PeriodicTimer(options.Value.Timers.PollInterval);
            do
            {
                try
                {
                    await RunDueAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Looking for due timer functions failed; trying again in {Interval}", options.Value.Timers.PollInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> RunIfDue(TimerFunctionRegistration timer, CancellationToken ct)
    {
        var settings = options.Value.Timers;
        var zone = options.Value.CompanyZone();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var timers = db.Set<FunctionTimer>();
        var now = clock.GetUtcNow().UtcDateTime;

        var row = await timers.AsNoTracking().SingleOrDefaultAsync(t => t.Name == timer.Name, ct);
        if (row is null || row.Schedule != timer.Schedule.Expression)
        {
            // First start, or the schedule changed in code: occurrences count from now, none are made up for.
            await Reset(db, timer, row, now, zone, ct);
            return false;
        }
        if (row.NextOccurrence > now || row.LockedUntil > now)
            return false;

        var lockId = Guid.NewGuid();
        var occurrence = row.NextOccurrence;
        var claimed = await timers
            .Where(t => t.Name == timer.Name && t.NextOccurrence == occurrence && t.Schedule == row.Schedule
                && (t.LockedUntil == null || t.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.LockId, lockId)
                .SetProperty(t => t.LockedUntil, now + settings.LeaseDuration), ct);
        if (claimed == 0)
            return false;

        // Past due: a later occurrence has come too (the hosts were down or busy); only this one runs.
        var info = new TimerInfo(new DateTimeOffset(occurrence), NextOccurrence(timer, occurrence, zone) <= now);
        var context = new FunctionContext(timer.Name, InvocationId(timer.Name, occurrence), row.LastError is null ? 1 : 2, bus, ct);
        try
        {
            await using var runScope = scopes.CreateAsyncScope();
            var function = (ITimerFunction)ActivatorUtilities.GetServiceOrCreateInstance(runScope.ServiceProvider, timer.Function);
            await function.Run(info, context);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Timer function {Function} failed for {Occurrence:o}; retrying in {RetryAfter}", timer.Name, occurrence, settings.RetryAfter);
            await timers.Where(t => t.Name == timer.Name && t.LockId == lockId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.LockedUntil, now + settings.RetryAfter)
                    .SetProperty(t => t.LastError, ex.GetType().Name + ": " + ex.Message), CancellationToken.None);
            return true;
        }

        var next = NextOccurrence(timer, now, zone);
        var completed = clock.GetUtcNow().UtcDateTime;
        await timers.Where(t => t.Name == timer.Name && t.LockId == lockId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.NextOccurrence, next)
                .SetProperty(t => t.LastOccurrence, occurrence)
                .SetProperty(t => t.LastCompletedAt, completed)
                .SetProperty(t => t.LastError, (string?)null)
                .SetProperty(t => t.LockId, (Guid?)null)
                .SetProperty(t => t.LockedUntil, (DateTime?)null), CancellationToken.None);
        logger.LogInformation("Timer function {Function} ran for {Occurrence:o}; next at {Next:o}", timer.Name, occurrence, next);
        return true;
    }

    private static async Task Reset(HubDbContext db, TimerFunctionRegistration timer, FunctionTimer? row, DateTime now, TimeZoneInfo zone,
        CancellationToken ct)
    {
        var next = NextOccurrence(timer, now, zone);
        if (row is not null)
        {
            await db.Set<FunctionTimer>().Where(t => t.Name == timer.Name && t.Schedule == row.Schedule)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Schedule, timer.Schedule.Expression).SetProperty(t => t.NextOccurrence, next)
                    .SetProperty(t => t.LockId, (Guid?)null).SetProperty(t => t.LockedUntil, (DateTime?)null), ct);
            return;
        }
        db.Add(new FunctionTimer { Name = timer.Name, Schedule = timer.Schedule.Expression, NextOccurrence = next });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance registered the timer first; its row stands.
        }
    }

    private static DateTime NextOccurrence(TimerFunctionRegistration timer, DateTime after, TimeZoneInfo zone) =>
        timer.Schedule.Next(new DateTimeOffset(after, TimeSpan.Zero), zone)?.UtcDateTime
        ?? throw new InvalidOperationException($"Timer function {timer.Name}'s schedule '{timer.Schedule}' never fires.");

    /// <summary>The same function and occurrence always give the same id, so work keyed on it is done once.</summary>
    private static Guid InvocationId(string function, DateTime occurrence) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"timer:{function}:{occurrence.Ticks}")).AsSpan(0, 16));
}
