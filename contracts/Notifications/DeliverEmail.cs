namespace Crm.Contracts.Notifications;

/// <summary>Command to the email channel (queue <c>notifications-email</c>): hand the recorded notification to the mail server.</summary>
public sealed record DeliverEmail(Guid NotificationId);
