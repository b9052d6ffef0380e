using Crm.Contracts.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;

namespace Hub.Functions.Orders;

/// <summary>
/// Tells the order's owner (staff), once per refusal, that ERP refused the order's completion and why: the order waits for the cause
/// to be put right in ERP and a manager to resend it. Urgent like the push: nothing else reminds anyone of it (no deadline, no alarm).
/// </summary>
[BusTrigger(typeof(OrderCompletionRefused))]
public sealed class OrderCompletionRefusedNotification(Notifier notifier) : IFunction<OrderCompletionRefused>
{
    public Task Run(OrderCompletionRefused message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("order-completion-refused", $"{message.OrderNumber}/{message.RefusedAt.UtcTicks}",
            RecipientKeys.User(message.OwnerUserId), new Dictionary<string, object?>
            {
                ["orderNumber"] = message.OrderNumber,
                ["customerCode"] = message.CustomerCode,
                ["reason"] = message.Reason,
                ["refusedAt"] = message.RefusedAt,
            })
        {
            Urgent = true,
        }], context);
}
