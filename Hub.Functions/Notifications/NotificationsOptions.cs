using System.ComponentModel.DataAnnotations;

namespace Hub.Functions.Notifications;

/// <summary>How notifications are written, held back and paced (section <c>Notifications</c>).</summary>
public sealed class NotificationsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Notifications";

    /// <summary>Language for recipients the registry does not know: <c>zh</c> or <c>en</c>.</summary>
    [Required, RegularExpression("^(zh|en)$")]
    public string DefaultLanguage { get; set; } = "zh";

    /// <summary>Public address of the hub, for unsubscribe links in emails.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Quiet hours (company time) for recipients without their own: non-urgent SMS wait until they end.</summary>
    public QuietHoursSettings QuietHours { get; set; } = new();

    /// <summary>Days before each instalment's due date that the payment reminder goes out (003 §3.4.2 提前提醒).</summary>
    [Range(0, 60)]
    public int PaymentReminderDaysBefore { get; set; } = 3;

    /// <summary>Time after a service ticket is completed that the follow-up survey goes out.</summary>
    public TimeSpan FollowUpSurveyDelay { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A queued notification handed to its channel this long ago without an outcome is handed over again.</summary>
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Recipients selected per campaign batch.</summary>
    [Range(1, 5000)]
    public int CampaignBatchSize { get; set; } = 200;

    /// <summary>Per-channel pacing (gateway quotas).</summary>
    public ChannelSettings Channels { get; set; } = new();
}

/// <summary>Quiet hours, <c>HH:mm</c> company time; <see cref="Start"/> after <see cref="End"/> spans midnight.</summary>
public sealed class QuietHoursSettings
{
    /// <summary>When quiet hours begin.</summary>
    public TimeOnly Start { get; set; } = new(21, 0);

    /// <summary>When they end.</summary>
    public TimeOnly End { get; set; } = new(8, 0);
}

/// <summary>Pacing per channel (<c>Notifications:Channels</c>).</summary>
public sealed class ChannelSettings
{
    /// <summary>Email pacing.</summary>
    public ChannelRate Email { get; set; } = new() { MessagesPerSecond = 20 };

    /// <summary>SMS pacing.</summary>
    public ChannelRate Sms { get; set; } = new() { MessagesPerSecond = 10 };
}

/// <summary>How fast one channel sends, per instance of the functions host.</summary>
public sealed class ChannelRate
{
    /// <summary>Messages handed to the provider per second; 0 means no limit.</summary>
    [Range(0, 10000)]
    public int MessagesPerSecond { get; set; }

    /// <summary>Sends within 30 seconds before the provider's circuit may open (when half of them failed transiently).</summary>
    [Range(2, 1_000_000)]
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>How long an open circuit refuses sends before one trial send.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
