namespace Hub.Persistence;

/// <summary>
/// Inbox state of one message for one consumer (table <c>hub_inbox_state</c>, key MessageId + ConsumerId).
/// A message whose state says consumed is not handed to that consumer again.
/// </summary>
public sealed class HubInboxState
{
    /// <summary>The received message's id.</summary>
    public Guid MessageId { get; set; }

    /// <summary>The consumer (endpoint + consumer type) the state belongs to.</summary>
    public Guid ConsumerId { get; set; }

    /// <summary>First received (UTC).</summary>
    public DateTime Received { get; set; }

    /// <summary>How many times the message was delivered to this consumer.</summary>
    public int ReceiveCount { get; set; }

    /// <summary>When the consumer completed and its transaction committed (UTC), if it has.</summary>
    public DateTime? Consumed { get; set; }

    /// <summary>When all of its outbox messages were delivered (UTC), if they have been.</summary>
    public DateTime? Delivered { get; set; }

    /// <summary>The last outbox sequence number delivered.</summary>
    public long? LastSequenceNumber { get; set; }

    /// <summary>Changed by each receive that holds the row.</summary>
    public Guid LockId { get; set; }

    /// <summary>Optimistic concurrency token, incremented on each update.</summary>
    public int Version { get; set; }
}
