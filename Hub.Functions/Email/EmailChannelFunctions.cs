using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Functions.Email;

/// <summary>Delivers one queued email notification over SMTP; paced by <c>Notifications:Channels:Email</c> on its own queue.</summary>
[BusTrigger(typeof(DeliverEmail), Queue = HubQueues.NotificationsEmail)]
public sealed class DeliverEmailFunction(NotificationDelivery delivery, EmailSender email, Notifier notifier) : IFunction<DeliverEmail>
{
    public Task Run(DeliverEmail message, FunctionContext context) =>
        delivery.DeliverAsync(message.NotificationId, NotificationChannel.Email, (notification, recipient) =>
            email.SendAsync(new EmailMessage(notification.Recipient, notification.Title!, notification.Body!, notification.HtmlBody!, notification.Id,
                recipient is null ? null : notifier.UnsubscribeUrl(recipient)), context.CancellationToken), context.CancellationToken);
}

/// <summary>An email delivery went to <c>notifications-email_error</c> after its last retry: the notification is recorded as failed, with the reason.</summary>
[BusTrigger(typeof(Fault<DeliverEmail>))]
public sealed class EmailDeliveryGaveUp(NotificationDelivery delivery) : IFunction<Fault<DeliverEmail>>
{
    public Task Run(Fault<DeliverEmail> fault, FunctionContext context) =>
        delivery.RecordGaveUpAsync(fault.Message.NotificationId, fault.Exceptions, context.CancellationToken);
}
