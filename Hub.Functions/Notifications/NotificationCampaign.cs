namespace Hub.Functions.Notifications;

/// <summary>A bulk email or SMS campaign (003 §3.13 邮件群发/短信群发) to a filtered list of recipients (table <c>notification_campaign</c>).</summary>
public sealed class NotificationCampaign
{
    /// <summary>Chosen by the caller, so a repeated request starts it once.</summary>
    public Guid Id { get; set; }
    /// <summary>Name for people.</summary>
    public string Name { get; set; } = "";
    /// <summary><c>email</c> or <c>sms</c>.</summary>
    public string Channel { get; set; } = "";
    /// <summary>Recipient kind selected (<c>customer</c>, <c>contact</c>, <c>dealer</c>), or all of them.</summary>
    public string? Kind { get; set; }
    /// <summary>Only recipients writing this language, or all.</summary>
    public string? Language { get; set; }
    /// <summary>Only recipients with this tag, or all.</summary>
    public string? Tag { get; set; }
    /// <summary>Only recipients of these customers, stored as <c>;C1001;C1002;</c>, or all.</summary>
    public string? CustomerCodes { get; set; }
    /// <summary>The message per language (JSON of <see cref="CampaignContent"/>).</summary>
    public string Content { get; set; } = "";
    /// <summary><see cref="CampaignState"/>.</summary>
    public string State { get; set; } = CampaignState.FanningOut;
    /// <summary>Recipients notified so far.</summary>
    public int Recipients { get; set; }
    /// <summary>When it was started.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When every recipient had a notification queued.</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}

/// <summary>States of a campaign.</summary>
public static class CampaignState
{
    /// <summary>Recipients are being selected in batches.</summary>
    public const string FanningOut = "fanning-out";
    /// <summary>Every selected recipient has a notification; they go out at the channel's rate.</summary>
    public const string FannedOut = "fanned-out";
}
