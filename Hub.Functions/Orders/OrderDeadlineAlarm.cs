using Crm.Contracts.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Orders;

/// <summary>
/// A deadline alarm (时限告警) goes to the order's owner at once, quiet hours or not. When the same order misses a
/// deadline again, the alarm is escalated to whom the owner's registry entry names (<c>escalateTo</c>), with the
/// count of alarms so far.
/// </summary>
[BusTrigger(typeof(OrderDeadlineExceeded))]
public sealed class OrderDeadlineAlarm(Notifier notifier, HubDbContext db) : IFunction<OrderDeadlineExceeded>
{
    public async Task Run(OrderDeadlineExceeded message, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var alarmKey = $"{message.OrderNumber}/{message.State}/{message.DeadlineAt.UtcTicks}";
        var ownerKey = RecipientKeys.User(message.OwnerUserId);
        var earlierAlarms = await db.Set<Notification>()
            .Where(n => n.Template == "deadline-alarm" && n.Subject.StartsWith(message.OrderNumber + "/") && n.Subject != alarmKey)
            .Select(n => n.Subject).Distinct().CountAsync(ct);
        var owner = await db.Set<NotificationRecipient>().AsNoTracking().SingleOrDefaultAsync(r => r.Key == ownerKey, ct);
        var data = new Dictionary<string, object?>
        {
            ["orderNumber"] = message.OrderNumber,
            ["state"] = message.State,
            ["deadlineAt"] = message.DeadlineAt,
            ["ownerName"] = owner?.Name ?? message.OwnerUserId,
            ["alarmCount"] = earlierAlarms + 1,
        };
        var requests = new List<NotificationRequest> { new("deadline-alarm", alarmKey, ownerKey, data) { Urgent = true } };
        if (earlierAlarms > 0 && owner?.EscalateTo is { } manager)
            requests.Add(new NotificationRequest("deadline-escalation", alarmKey, manager, data) { Urgent = true });
        await notifier.NotifyAsync(requests, context);
    }
}
