namespace Hub.Adapters.Identity;

/// <summary>What the hub allows a device to do.</summary>
public static class DeviceStatus
{
    /// <summary>Bound to its user and phone number; may call the API.</summary>
    public const string Active = "active";
    /// <summary>Disabled by a supervisor or manager: refused, and told to wipe.</summary>
    public const string Disabled = "disabled";
    /// <summary>Reported lost by its user: refused, and told to wipe.</summary>
    public const string Lost = "lost";

    /// <summary>Whether a device in <paramref name="status"/> must wipe the app's data on its next contact.</summary>
    public static bool MustWipe(string status) => status is Disabled or Lost;
}

/// <summary>
/// A handset bound to exactly one user and that user's phone number (table <c>mobile_device</c>):
/// user, phone number and device id are checked together on every call (003 §5.5.4).
/// </summary>
public sealed class MobileDevice
{
    /// <summary>The app's installation id, sent at login.</summary>
    public string DeviceId { get; set; } = "";
    /// <summary>The user it is bound to.</summary>
    public string UserId { get; set; } = "";
    /// <summary>The phone number it was bound with; sealed at rest.</summary>
    public string Phone { get; set; } = "";
    /// <summary><c>android</c> or <c>ios</c>: which platform push service reaches it.</summary>
    public string Platform { get; set; } = "";
    /// <summary>FCM registration token or APNs device token; null until the app registers one.</summary>
    public string? PushToken { get; set; }
    /// <summary>One of <see cref="DeviceStatus"/>.</summary>
    public string Status { get; set; } = DeviceStatus.Active;
    /// <summary>When the device was bound (UTC).</summary>
    public DateTime BoundAt { get; set; }
    /// <summary>Last authenticated call (UTC).</summary>
    public DateTime LastSeenAt { get; set; }
    /// <summary>When the wipe command was last handed to the device (UTC), for the audit trail.</summary>
    public DateTime? WipeSentAt { get; set; }
    /// <summary>Concurrency token; the ETag of the device resource.</summary>
    public long Version { get; set; }
}
