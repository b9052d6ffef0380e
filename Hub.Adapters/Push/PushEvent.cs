namespace Hub.Adapters.Push;

/// <summary>
/// One event for one user's devices, kept so that a stream that dropped can resume from its
/// <c>Last-Event-ID</c> and any Adapters instance can serve any user.
/// </summary>
public sealed class PushEvent
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>
    /// The user's own increasing number: the SSE event id and what <c>Last-Event-ID</c> resumes from. Numbered under a
    /// lock on the user's cursor row, so a user's events commit in this order; a global identity can commit out of
    /// order under concurrent writers, and a stream that had read past a gap would never see the late event.
    /// </summary>
    public long Sequence { get; set; }
    /// <summary>Recipient.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Event name on the stream, e.g. <c>order.status</c>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>JSON payload.</summary>
    public string Payload { get; set; } = "";
    /// <summary>When the event was recorded.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// The fact this event tells (<see cref="PushNotice.Key"/>), unique per user: a republished event (new message id, same
    /// fact) finds it and adds nothing. Events recorded before keys existed carry their <see cref="Id"/>.
    /// </summary>
    public string DedupeKey { get; set; } = "";
}

/// <summary>The last <see cref="PushEvent.Sequence"/> given to a user's events.</summary>
public sealed class PushCursor
{
    /// <summary>Recipient.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Highest sequence used so far.</summary>
    public long LastSequence { get; set; }
}
