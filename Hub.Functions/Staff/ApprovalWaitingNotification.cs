using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;

namespace Hub.Functions.Staff;

/// <summary>Tells the approver that something waits for them (003 §3.9 事务提醒: 审核).</summary>
[BusTrigger(typeof(ApprovalRequested))]
public sealed class ApprovalWaitingNotification(Notifier notifier) : IFunction<ApprovalRequested>
{
    public Task Run(ApprovalRequested message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("approval-waiting", $"{message.ApprovalId:N}", RecipientKeys.User(message.ApproverUserId),
            new Dictionary<string, object?>
            {
                ["kind"] = message.Kind,
                ["subject"] = message.Subject,
                ["requestedBy"] = message.RequestedBy,
            })], context);
}
