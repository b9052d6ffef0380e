namespace Hub.Functions.Notifications;

/// <summary>One message to one recipient on one channel, with where it stands.</summary>
public sealed class Notification
{
    /// <summary>Row id.</summary>
    public Guid Id { get; set; }
    /// <summary>The bus message that caused it; with channel and recipient, the dedupe key.</summary>
    public Guid SourceMessageId { get; set; }
    /// <summary><c>email</c> or <c>sms</c>.</summary>
    public string Channel { get; set; } = "";
    /// <summary>Address or phone number.</summary>
    public string Recipient { get; set; } = "";
    /// <summary>Template name, e.g. <c>order-completed</c>.</summary>
    public string Template { get; set; } = "";
    /// <summary>Business key it concerns, e.g. the order number.</summary>
    public string Subject { get; set; } = "";
    /// <summary><see cref="NotificationState"/>.</summary>
    public string State { get; set; } = NotificationState.Queued;
    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; set; }
    /// <summary>When it was recorded.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the provider accepted it.</summary>
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>States of a notification.</summary>
public static class NotificationState
{
    /// <summary>Recorded, not yet handed over.</summary>
    public const string Queued = "queued";
    /// <summary>The provider (SMTP server, SMS gateway) accepted it.</summary>
    public const string Sent = "sent";
    /// <summary>The provider reported it delivered.</summary>
    public const string Delivered = "delivered";
    /// <summary>It could not be delivered.</summary>
    public const string Failed = "failed";
}
