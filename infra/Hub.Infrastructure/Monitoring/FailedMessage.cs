namespace Hub.Infrastructure.Monitoring;

/// <summary>
/// A message that spent every retry and scheduled redelivery and was moved to its endpoint's error
/// queue: what operations sees, groups, retries, edits or archives (table <c>failed_message</c>).
/// </summary>
public sealed class FailedMessage
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>Transport message id; kept on retry so downstream inboxes still deduplicate.</summary>
    public Guid MessageId { get; set; }
    /// <summary>Short message type name, e.g. <c>CreateBillingCharge</c>.</summary>
    public string MessageType { get; set; } = "";
    /// <summary>Conversation the message belongs to.</summary>
    public Guid? ConversationId { get; set; }
    /// <summary>Correlation id (the order for saga messages).</summary>
    public Guid? CorrelationId { get; set; }
    /// <summary>Queue of the endpoint that failed to process it.</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>Full input address the message is retried to.</summary>
    public string InputAddress { get; set; } = "";
    /// <summary>Endpoint that sent it.</summary>
    public string? SourceAddress { get; set; }
    /// <summary>Full exception type name of the last failure.</summary>
    public string ExceptionType { get; set; } = "";
    /// <summary>Exception message of the last failure.</summary>
    public string ExceptionMessage { get; set; } = "";
    /// <summary>Stack trace of the last failure.</summary>
    public string? StackTrace { get; set; }
    /// <summary>The first frame of the stack trace: where in code it failed.</summary>
    public string FailurePoint { get; set; } = "";
    /// <summary>Stable id of the group (exception type + endpoint + message type) for bulk actions.</summary>
    public string GroupId { get; set; } = "";
    /// <summary>First time it reached the error queue (UTC).</summary>
    public DateTime FirstFailedAt { get; set; }
    /// <summary>Last time it reached the error queue (UTC).</summary>
    public DateTime LastFailedAt { get; set; }
    /// <summary>How often it reached the error queue (a retry that fails again adds one).</summary>
    public int FailureCount { get; set; }
    /// <summary><c>unresolved</c>, <c>retrying</c>, <c>resolved</c> or <c>archived</c>.</summary>
    public string Status { get; set; } = FailedMessageStatus.Unresolved;
    /// <summary>How often operations retried it.</summary>
    public int RetryCount { get; set; }
    /// <summary>Last retry (UTC).</summary>
    public DateTime? RetriedAt { get; set; }
    /// <summary>When a retry was processed successfully (UTC).</summary>
    public DateTime? ResolvedAt { get; set; }
    /// <summary>Whether operations edited the body before a retry.</summary>
    public bool Edited { get; set; }
    /// <summary>Business keys found in the body (<c>;orderNumber=…;</c>), for search.</summary>
    public string BusinessKeys { get; set; } = "";
    /// <summary>Content type of <see cref="Body"/>.</summary>
    public string ContentType { get; set; } = "";
    /// <summary>Message type URNs, separated by <c>;</c>.</summary>
    public string MessageTypeUrns { get; set; } = "";
    /// <summary>Transport headers as received, without MassTransit's fault and redelivery headers, as JSON; sealed at rest.</summary>
    public string Headers { get; set; } = "{}";
    /// <summary>The serialized message (for MassTransit's JSON, the whole envelope); sealed at rest with the column keys.</summary>
    public string Body { get; set; } = "";
}

/// <summary>States of a <see cref="FailedMessage"/>.</summary>
public static class FailedMessageStatus
{
    /// <summary>In the error queue, waiting for operations.</summary>
    public const string Unresolved = "unresolved";
    /// <summary>Sent back to its queue; outcome not yet known.</summary>
    public const string Retrying = "retrying";
    /// <summary>A retry was processed successfully.</summary>
    public const string Resolved = "resolved";
    /// <summary>Operations decided not to retry it.</summary>
    public const string Archived = "archived";

    /// <summary>Header a retried message carries: the failed message's row id, so its outcome can be matched.</summary>
    public const string RetryHeader = "Hub-Ops-Retry";
}
