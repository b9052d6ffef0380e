namespace Hub.Adapters.Push;

/// <summary>
/// One event for one user's devices, kept so that a stream that dropped can resume from its
/// <c>Last-Event-ID</c> and any Adapters instance can serve any user.
/// </summary>
public sealed class PushEvent
{
    /// <summary>Increasing id; the SSE event id.</summary>
    public long Id { get; set; }
    /// <summary>Recipient.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Event name on the stream, e.g. <c>order.status</c>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>JSON payload.</summary>
    public string Payload { get; set; } = "";
    /// <summary>When the event was recorded.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
