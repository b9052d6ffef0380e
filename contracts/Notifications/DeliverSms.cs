namespace Crm.Contracts.Notifications;

/// <summary>Command to the SMS channel (queue <c>notifications-sms</c>): hand the recorded notification to the SMS gateway.</summary>
public sealed record DeliverSms(Guid NotificationId);
