using Hub.Functions.Hosting;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

/// <summary>
/// How every lifecycle's deadline alarm (时限告警) is sent: at once, quiet hours or not, to the member of staff who holds the
/// record; when the same record misses a deadline again, also to whom that person's registry entry names (<c>escalateTo</c>),
/// with the count of alarms so far.
/// </summary>
public static class DeadlineAlarms
{
    /// <summary>
    /// Sends <paramref name="template"/> for record <paramref name="number"/>'s missed deadline in <paramref name="state"/> to
    /// <paramref name="holderUserId"/>, and <paramref name="escalationTemplate"/> on a repeat. <paramref name="data"/> gets the
    /// holder's name under <paramref name="holderField"/> and <c>alarmCount</c>.
    /// </summary>
    public static async Task NotifyAsync(Notifier notifier, HubDbContext db, FunctionContext context, string template, string escalationTemplate,
        string number, string state, DateTimeOffset deadlineAt, string holderUserId, string holderField, Dictionary<string, object?> data)
    {
        var ct = context.CancellationToken;
        var alarmKey = $"{number}/{state}/{deadlineAt.UtcTicks}";
        var holderKey = RecipientKeys.User(holderUserId);
        var earlierAlarms = await db.Set<Notification>()
            .Where(n => n.Template == template && n.Subject.StartsWith(number + "/") && n.Subject != alarmKey)
            .Select(n => n.Subject).Distinct().CountAsync(ct);
        var holder = await db.Set<NotificationRecipient>().AsNoTracking().SingleOrDefaultAsync(r => r.Key == holderKey, ct);
        data[holderField] = holder?.Name ?? holderUserId;
        data["alarmCount"] = earlierAlarms + 1;
        var requests = new List<NotificationRequest> { new(template, alarmKey, holderKey, data) { Urgent = true } };
        if (earlierAlarms > 0 && holder?.EscalateTo is { } supervisor)
            requests.Add(new NotificationRequest(escalationTemplate, alarmKey, supervisor, data) { Urgent = true });
        await notifier.NotifyAsync(requests, context);
    }
}
