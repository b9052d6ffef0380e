namespace Hub.Adapters.Push;

/// <summary>What became of a <see cref="PushDelivery"/>.</summary>
public static class PushDeliveryState
{
    /// <summary>Waiting for its <c>DeliverPush</c> on the push delivery queue.</summary>
    public const string Queued = "queued";
    /// <summary>The platform service accepted it (see <see cref="PushDelivery.Silent"/>).</summary>
    public const string Sent = "sent";
    /// <summary>The service said the token is gone; the device's token was removed.</summary>
    public const string TokenRemoved = "token-removed";
    /// <summary>Not sent: the device has no token any more, is blocked, has its stream open here, or its platform is off.</summary>
    public const string Skipped = "skipped";
    /// <summary>Gave up after the last retry; the message is in the error queue.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One event for one device through its platform push service (table <c>mobile_push_delivery</c>). Unique per device
/// and event (<see cref="PushKey"/>), so an event published twice is pushed once; the delivery claims the row
/// (queued → sent) inside its transaction, so a redelivered <c>DeliverPush</c> finds it sent.
/// </summary>
public sealed class PushDelivery
{
    /// <summary>Delivery id; also the <c>apns-id</c>.</summary>
    public Guid Id { get; set; }
    /// <summary>The device it goes to.</summary>
    public string DeviceId { get; set; } = "";
    /// <summary>The device's user.</summary>
    public string UserId { get; set; } = "";
    /// <summary>The event's identity, e.g. <c>order.status:{orderId}:Completed</c>; the collapse key on the phone.</summary>
    public string PushKey { get; set; } = "";
    /// <summary>Event kind, one of <see cref="PushPreferencesApi.Kinds"/>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>Title shown on the phone.</summary>
    public string Title { get; set; } = "";
    /// <summary>Text shown on the phone.</summary>
    public string Body { get; set; } = "";
    /// <summary>The app's data as a JSON object of strings.</summary>
    public string Data { get; set; } = "{}";
    /// <summary>Rings even in quiet hours (deadline alarms).</summary>
    public bool Urgent { get; set; }
    /// <summary>One of <see cref="PushDeliveryState"/>.</summary>
    public string State { get; set; } = PushDeliveryState.Queued;
    /// <summary>Sent without alert or sound, because it fell in the user's quiet hours.</summary>
    public bool Silent { get; set; }
    /// <summary>Why it was skipped or failed, or which token was removed.</summary>
    public string? Detail { get; set; }
    /// <summary>When it was recorded (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the platform service answered (UTC).</summary>
    public DateTime? SentAt { get; set; }
}
