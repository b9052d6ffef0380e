namespace Hub.Functions.Notifications;

/// <summary>
/// Who may be notified and how (table <c>notification_recipient</c>): addresses, language, opt-outs, quiet hours,
/// birthday and tags. Keyed by kind and business id: <c>customer:C1001</c>, <c>contact:&lt;id&gt;</c>,
/// <c>user:sales-li</c> (staff), <c>dealer:D01</c>. Fed by <c>PUT /api/notifications/recipients/{key}</c>.
/// </summary>
public sealed class NotificationRecipient
{
    /// <summary>Kind and business id, e.g. <c>customer:C1001</c>.</summary>
    public string Key { get; set; } = "";
    /// <summary>Name used in greetings; sealed at rest.</summary>
    public string Name { get; set; } = "";
    /// <summary>Email address, if any, as <see cref="RecipientKeys.Address"/> normalised it; sealed at rest.</summary>
    public string? Email
    {
        get => _email;
        // The blind indexes follow the addresses (EF writes the fields when reading, so a read keeps the stored indexes).
        set
        {
            _email = value;
            EmailIndex = RecipientKeys.EmailIndexKey(value);
        }
    }

    /// <summary>Mobile number, if any, as <see cref="RecipientKeys.Address"/> normalised it (the domain's phone key); sealed at rest.</summary>
    public string? Phone
    {
        get => _phone;
        set
        {
            _phone = value;
            PhoneIndex = RecipientKeys.PhoneIndexKey(value);
        }
    }

    private string? _email;
    private string? _phone;

    /// <summary>Blind index of <see cref="Email"/> ("" without one): how opt-outs and unsubscribes find an address.</summary>
    public string EmailIndex { get; set; } = "";

    /// <summary>Blind index of <see cref="Phone"/> ("" without one): how a "TD" reply finds the number.</summary>
    public string PhoneIndex { get; set; } = "";
    /// <summary><c>zh</c> or <c>en</c>: the language messages are written in.</summary>
    public string Language { get; set; } = "zh";
    /// <summary>The customer a contact works for (or the customer itself): whose timeline shows the messages.</summary>
    public string? CustomerCode { get; set; }
    /// <summary>Birthday month (1-12), for birthday care.</summary>
    public int? BirthMonth { get; set; }
    /// <summary>Birthday day of month.</summary>
    public int? BirthDay { get; set; }
    /// <summary>Start of the recipient's own quiet hours, minutes after midnight (company time); none: the default.</summary>
    public int? QuietFrom { get; set; }
    /// <summary>End of the recipient's own quiet hours, minutes after midnight.</summary>
    public int? QuietUntil { get; set; }
    /// <summary>No email at all.</summary>
    public bool EmailOptOut { get; set; }
    /// <summary>No SMS at all.</summary>
    public bool SmsOptOut { get; set; }
    /// <summary>Tags campaigns select on, stored as <c>;vip;north;</c>.</summary>
    public string Tags { get; set; } = ";";
    /// <summary>For staff: whom their deadline alarms escalate to (another recipient key).</summary>
    public string? EscalateTo { get; set; }
    /// <summary>Secret in the unsubscribe link of this recipient's emails.</summary>
    public string UnsubscribeToken { get; set; } = "";
    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether the recipient opted out of <paramref name="channel"/>.</summary>
    public bool OptedOut(string channel) => channel == NotificationChannel.Email ? EmailOptOut : SmsOptOut;

    /// <summary>The address on <paramref name="channel"/>, if any.</summary>
    public string? Address(string channel) => channel == NotificationChannel.Email ? Email : Phone;
}
