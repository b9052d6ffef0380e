namespace Hub.Functions.Notifications;

/// <summary>One message to one recipient on one channel, with what it says and where it stands.</summary>
public sealed class Notification
{
    /// <summary>Row id; also the email's Message-ID and the SMS delivery report's key.</summary>
    public Guid Id { get; set; }
    /// <summary>The bus message (or timer occurrence) that caused it.</summary>
    public Guid SourceMessageId { get; set; }
    /// <summary><see cref="NotificationChannel"/>: <c>email</c> or <c>sms</c>.</summary>
    public string Channel { get; set; } = "";
    /// <summary>Address or phone number, as <see cref="RecipientKeys.Address"/> normalised it; sealed at rest.</summary>
    public string Recipient
    {
        get => _recipient;
        // The blind index follows the address (EF writes the field when reading, so a read keeps the stored index).
        set
        {
            _recipient = value;
            RecipientIndex = value;
        }
    }

    private string _recipient = "";

    /// <summary>
    /// The blind index of <see cref="Recipient"/> (what the store keeps is a keyed hash): with <see cref="DedupeKey"/> and
    /// <see cref="Channel"/> unique, and what a search by address compares.
    /// </summary>
    public string RecipientIndex { get; set; } = "";
    /// <summary>Template name, e.g. <c>order-completed</c>.</summary>
    public string Template { get; set; } = "";
    /// <summary>Business key it concerns, e.g. the order number.</summary>
    public string Subject { get; set; } = "";
    /// <summary><see cref="NotificationState"/>.</summary>
    public string State { get; set; } = NotificationState.Queued;
    /// <summary>Why it failed, when it did (a provider's words may name the recipient: sealed at rest).</summary>
    public string? Error { get; set; }
    /// <summary>When it was recorded.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the provider accepted it.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// The event it answers (<c>template:business key</c>); with channel and recipient unique, so an event that
    /// arrives twice, by whatever path, notifies once.
    /// </summary>
    public string? DedupeKey { get; set; }
    /// <summary>Who it is for in the recipient registry (<c>customer:C1001</c>, <c>user:sales-li</c>), if known.</summary>
    public string? RecipientKey { get; set; }
    /// <summary>The customer whose timeline shows it.</summary>
    public string? CustomerCode { get; set; }
    /// <summary>Language it was written in: <c>zh</c> or <c>en</c>.</summary>
    public string? Language { get; set; }
    /// <summary>Urgent messages (deadline alarms) ignore quiet hours.</summary>
    public bool Urgent { get; set; }
    /// <summary>Not to be delivered before this (UTC): a follow-up delay, or the end of the recipient's quiet hours.</summary>
    public DateTime? NotBefore { get; set; }
    /// <summary>When it was last handed to its channel's queue (UTC); a queued row without it is dispatched by the release timer.</summary>
    public DateTime? DispatchedAt { get; set; }
    /// <summary>When it was recorded (UTC), for ordering timelines.</summary>
    public DateTime RecordedAt { get; set; }
    /// <summary>Email subject line.</summary>
    public string? Title { get; set; }
    /// <summary>Plain text of the email, or the SMS text.</summary>
    public string? Body { get; set; }
    /// <summary>HTML of the email.</summary>
    public string? HtmlBody { get; set; }
    /// <summary>The bulk campaign it belongs to, if any.</summary>
    public Guid? CampaignId { get; set; }
    /// <summary>The provider's own id for it (the SMS centre's message id from a delivery report).</summary>
    public string? ProviderReference { get; set; }
    /// <summary>The provider's last word on it (e.g. <c>8 ACK/</c> from Kannel; an SMSC may quote the text: sealed at rest).</summary>
    public string? ProviderStatus { get; set; }
    /// <summary>When the provider reported it delivered to the handset.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }
    /// <summary>
    /// A permission the recipient (a member of staff, <c>user:&lt;id&gt;</c>) must still hold over the records of
    /// <see cref="OverRecordsOf"/> when it is sent (an approval request to a deputy); otherwise it is skipped.
    /// </summary>
    public string? RecipientMustHold { get; set; }
    /// <summary>Whose records <see cref="RecipientMustHold"/> must reach.</summary>
    public string? OverRecordsOf { get; set; }
}

/// <summary>States of a notification.</summary>
public static class NotificationState
{
    /// <summary>Recorded, not yet handed over (possibly held until <see cref="Notification.NotBefore"/>).</summary>
    public const string Queued = "queued";
    /// <summary>The provider (SMTP server, SMS gateway) accepted it.</summary>
    public const string Sent = "sent";
    /// <summary>The provider reported it delivered.</summary>
    public const string Delivered = "delivered";
    /// <summary>It could not be delivered; <see cref="Notification.Error"/> says why.</summary>
    public const string Failed = "failed";
    /// <summary>Not sent on purpose, as it no longer applies (the recipient lost the right it asked them to use); <see cref="Notification.Error"/> says why.</summary>
    public const string Skipped = "skipped";
}

/// <summary>The channels a notification goes by.</summary>
public static class NotificationChannel
{
    /// <summary>Email over SMTP.</summary>
    public const string Email = "email";
    /// <summary>SMS through the SMS gateway.</summary>
    public const string Sms = "sms";
}
