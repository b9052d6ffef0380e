using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Infrastructure.Access;

namespace Hub.Functions.Staff;

/// <summary>
/// Tells the approver that something waits for them (003 §3.9 事务提醒: 审核). Sent only while they may still decide it: the
/// approval right (own or delegated) over the requester's records is checked again at send time, so a deputy whose delegation
/// expired or was revoked since the request is skipped, with the reason.
/// </summary>
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
            }) { RecipientMustHold = new RecipientRight(StaffPermissions.ForApprovalOf(message.Kind), message.RequestedBy) }], context);
}
