using Hub.Functions.Hosting;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Notifications;

/// <summary>
/// Every minute, hands to their channel the queued notifications that may go now and are not on their way: those
/// held until a time (follow-up delays, quiet hours) once it has come, those a timer function recorded but could not
/// hand over (the host stopped in between), and those handed over longer than <c>Notifications:RedispatchAfter</c>
/// ago without an outcome. Delivery claims each notification, so handing one over twice sends it once.
/// </summary>
[TimerTrigger("* * * * *")]
public sealed class ReleaseHeldNotifications(HubDbContext db, TimeProvider clock, IOptions<NotificationsOptions> options) : ITimerFunction
{
    private const int BatchSize = 500;

    public async Task Run(TimerInfo timer, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - options.Value.RedispatchAfter;
        List<Notification> due;
        do
        {
            due = await db.Set<Notification>()
                .Where(n => n.State == NotificationState.Queued && (n.NotBefore == null || n.NotBefore <= now)
                    && (n.DispatchedAt == null || n.DispatchedAt < stale))
                .OrderBy(n => n.RecordedAt)
                .Take(BatchSize)
                .ToListAsync(ct);
            foreach (var notification in due)
                notification.DispatchedAt = now;
            await db.SaveChangesAsync(ct);
            foreach (var notification in due)
                await Notifier.Dispatch(notification, context.Output, ct);
        }
        while (due.Count == BatchSize);
    }
}
