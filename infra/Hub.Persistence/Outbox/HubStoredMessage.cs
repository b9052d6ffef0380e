using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Hub.Persistence;

/// <summary>
/// A serialized message waiting in the database (outbox or scheduler), with everything needed to send it
/// again unchanged: message id, body, message types, headers and addresses. Implements MassTransit's
/// <see cref="OutboxMessageContext"/> so MassTransit's <see cref="OutboxMessageSendPipe"/> can send it.
/// </summary>
public abstract class HubStoredMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>();
    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    /// <summary>The message id the message is delivered with (downstream inboxes dedupe on it).</summary>
    public Guid MessageId { get; set; }

    /// <summary>Content type of <see cref="Body"/>.</summary>
    public string ContentType { get; set; } = "";

    /// <summary>Message type URNs, separated by <c>;</c>.</summary>
    public string MessageType { get; set; } = "";

    /// <summary>The serialized body (for MassTransit's JSON, the whole envelope); sealed at rest with the column keys.</summary>
    public string Body { get; set; } = "";

    /// <summary>Headers as a JSON object; sealed at rest with the column keys.</summary>
    public string? Headers { get; set; }

    /// <summary>Transport properties as a JSON object.</summary>
    public string? Properties { get; set; }

    /// <summary>Conversation id.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>Correlation id.</summary>
    public Guid? CorrelationId { get; set; }

    /// <summary>Initiator id.</summary>
    public Guid? InitiatorId { get; set; }

    /// <summary>Request id.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>Source address.</summary>
    public Uri? SourceAddress { get; set; }

    /// <summary>Where the message goes.</summary>
    public Uri? DestinationAddress { get; set; }

    /// <summary>Response address.</summary>
    public Uri? ResponseAddress { get; set; }

    /// <summary>Fault address.</summary>
    public Uri? FaultAddress { get; set; }

    /// <summary>When the message was originally sent (UTC).</summary>
    public DateTime SentTime { get; set; }

    /// <summary>Expiration (UTC), if the message has a time to live.</summary>
    public DateTime? ExpirationTime { get; set; }

    /// <summary>When the row was written (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>The delivery instance that has claimed the row, if any.</summary>
    public Guid? LockId { get; set; }

    /// <summary>The claim expires at this time (UTC); another instance may then take the row.</summary>
    public DateTime? LockedUntil { get; set; }

    /// <summary>Parses <see cref="Headers"/> and <see cref="Properties"/>; call before sending the message.</summary>
    public void Deserialize(IObjectDeserializer deserializer)
    {
        _headers = string.IsNullOrWhiteSpace(Headers)
            ? null
            : deserializer.DeserializeObject<Dictionary<string, object?>>(Headers) is { Count: > 0 } values
                ? new DictionarySendHeaders(values!)
                : null;
        _properties = string.IsNullOrWhiteSpace(Properties)
            ? null
            : deserializer.DeserializeObject<Dictionary<string, object>>(Properties);
    }

    /// <summary>Ordering within an outbox; zero for scheduled messages.</summary>
    protected virtual long Sequence => 0;

    long OutboxMessageContext.SequenceNumber => Sequence;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? NoProperties;
    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
}

/// <summary>
/// A message published or sent by a consumer inside the transactional outbox (table <c>hub_outbox_message</c>).
/// Written in the consumer's transaction, delivered after commit, then deleted.
/// </summary>
public sealed class HubOutboxMessage : HubStoredMessage
{
    /// <summary>Database-generated order of the message.</summary>
    public long SequenceNumber { get; set; }

    /// <summary>The consumed message that produced this one.</summary>
    public Guid? InboxMessageId { get; set; }

    /// <summary>The consumer that produced this one.</summary>
    public Guid? InboxConsumerId { get; set; }

    /// <inheritdoc />
    protected override long Sequence => SequenceNumber;
}

/// <summary>A message waiting for its scheduled time (table <c>hub_scheduled_message</c>).</summary>
public sealed class HubScheduledMessage : HubStoredMessage
{
    /// <summary>The schedule's token id (<c>ScheduleMessage.CorrelationId</c>); cancel uses it.</summary>
    public Guid TokenId { get; set; }

    /// <summary>When to send (UTC).</summary>
    public DateTime ScheduledTime { get; set; }
}
