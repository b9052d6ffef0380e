namespace Hub.Infrastructure.Audit;

/// <summary>
/// One message as an endpoint processed it: the raw material of the operations view (flows,
/// conversations, failures). Written in the background so auditing never slows the flow much.
/// </summary>
public sealed class AuditedMessage
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Transport message id.</summary>
    public Guid MessageId { get; set; }
    /// <summary>Short message type name, e.g. <c>OrderPlaced</c>.</summary>
    public string MessageType { get; set; } = "";
    /// <summary>Conversation the message belongs to (one business flow).</summary>
    public Guid? ConversationId { get; set; }
    /// <summary>Correlation id (the order or ticket id for saga messages).</summary>
    public Guid? CorrelationId { get; set; }
    /// <summary>The message that caused this one (causation).</summary>
    public Guid? InitiatorId { get; set; }
    /// <summary>Endpoint that sent it.</summary>
    public string? SourceAddress { get; set; }
    /// <summary>Endpoint that processed it.</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>When it was sent (UTC).</summary>
    public DateTime? SentAt { get; set; }
    /// <summary>When processing finished (UTC). A DateTime, not an offset: SQLite compares it server-side only so.</summary>
    public DateTime ProcessedAt { get; set; }
    /// <summary>Processing time in milliseconds.</summary>
    public double ProcessingMs { get; set; }
    /// <summary><c>consumed</c> or <c>faulted</c>.</summary>
    public string Outcome { get; set; } = "";
    /// <summary>Exception type and message when faulted.</summary>
    public string? Error { get; set; }
    /// <summary>Business keys found in the body (<c>orderNumber=…;customerCode=…</c>), for search.</summary>
    public string BusinessKeys { get; set; } = "";
    /// <summary>Transport headers as JSON; sealed at rest with the column keys.</summary>
    public string Headers { get; set; } = "{}";
    /// <summary>Message body as received; sealed at rest with the column keys (search uses <see cref="BusinessKeys"/>).</summary>
    public string Body { get; set; } = "";
}
