using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Hub.Persistence;

namespace Hub.Functions.Sms;

/// <summary>Delivers one queued SMS notification through the gateway; paced by <c>Notifications:Channels:Sms</c> on its own queue.</summary>
[BusTrigger(typeof(DeliverSms), Queue = HubQueues.NotificationsSms)]
public sealed class DeliverSmsFunction(NotificationDelivery delivery, IEnumerable<ISmsGateway> gateways, HubDbContext db) : IFunction<DeliverSms>
{
    public Task Run(DeliverSms message, FunctionContext context) =>
        delivery.DeliverAsync(message.NotificationId, NotificationChannel.Sms, async (notification, _) =>
        {
            // Queued while a gateway was configured, delivered after it was taken away.
            var gateway = gateways.FirstOrDefault()
                ?? throw new NotificationRejectedException("The SMS channel is not configured (Sms:Kannel:BaseUrl).");
            var answer = await gateway.SendAsync(new SmsMessage(notification.Id, notification.Recipient, notification.Body!), context.CancellationToken);
            await db.Set<Notification>().Where(n => n.Id == notification.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ProviderStatus, $"{gateway.Name}: {answer}"), context.CancellationToken);
        }, context.CancellationToken);
}

/// <summary>An SMS delivery went to <c>notifications-sms_error</c> after its last retry: the notification is recorded as failed, with the reason.</summary>
[BusTrigger(typeof(Fault<DeliverSms>))]
public sealed class SmsDeliveryGaveUp(NotificationDelivery delivery) : IFunction<Fault<DeliverSms>>
{
    public Task Run(Fault<DeliverSms> fault, FunctionContext context) =>
        delivery.RecordGaveUpAsync(fault.Message.NotificationId, fault.Exceptions, context.CancellationToken);
}
