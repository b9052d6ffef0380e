using Crm.Contracts.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;

namespace Hub.Functions.Orders;

/// <summary>
/// A deadline alarm (时限告警) goes to the order's owner at once, quiet hours or not. When the same order misses a
/// deadline again, the alarm is escalated to whom the owner's registry entry names (<c>escalateTo</c>), with the
/// count of alarms so far.
/// </summary>
[BusTrigger(typeof(OrderDeadlineExceeded))]
public sealed class OrderDeadlineAlarm(Notifier notifier, HubDbContext db) : IFunction<OrderDeadlineExceeded>
{
    public Task Run(OrderDeadlineExceeded message, FunctionContext context) =>
        DeadlineAlarms.NotifyAsync(notifier, db, context, "deadline-alarm", "deadline-escalation", message.OrderNumber, message.State,
            message.DeadlineAt, message.OwnerUserId, "ownerName", new Dictionary<string, object?>
            {
                ["orderNumber"] = message.OrderNumber,
                ["state"] = message.State,
                ["deadlineAt"] = message.DeadlineAt,
            });
}
