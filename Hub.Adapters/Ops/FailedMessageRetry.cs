using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Hub.Adapters.Ops;

/// <summary>
/// Sends a failed message back to the queue it failed on: same message id (the inbox only records
/// messages whose consumer committed, so a failed one is not a duplicate, and downstream receivers
/// still deduplicate), original headers, and a fresh retry budget (MassTransit's fault and redelivery
/// headers removed). It carries <see cref="FailedMessageStatus.RetryHeader"/> so its outcome is matched.
/// </summary>
public sealed class FailedMessageRetry(IBus bus)
{
    private static readonly string[] DroppedEnvelopeHeaders = ["MT-Fault-", "MT-Reason", "MT-Redelivery-Count", FailedMessageStatus.RetryHeader];

    /// <summary>Sends <paramref name="failed"/> again, with <paramref name="editedMessage"/> in place of its message when given.</summary>
    public async Task Send(FailedMessage failed, JsonObject? editedMessage, CancellationToken ct)
    {
        var destination = HubQueueAddress(failed.Endpoint);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string?>>(failed.Headers) ?? [];
        headers[FailedMessageStatus.RetryHeader] = failed.Id.ToString();
        var message = new RetriedMessage
        {
            MessageId = failed.MessageId,
            ContentType = failed.ContentType,
            MessageType = failed.MessageTypeUrns,
            Body = RewriteEnvelope(failed.Body, failed.Id, editedMessage),
            Headers = JsonSerializer.Serialize(headers),
            ConversationId = failed.ConversationId,
            CorrelationId = failed.CorrelationId,
            DestinationAddress = destination,
            SentTime = DateTime.UtcNow,
            CreatedAt = DateTime.UtcNow,
        };
        message.Deserialize(SystemTextJsonMessageSerializer.Instance);
        var endpoint = await bus.GetSendEndpoint(destination);
        await endpoint.Send(new RetriedMessagePlaceholder(), new OutboxMessageSendPipe(message, destination), ct);
    }

    /// <summary>The envelope with a fresh retry budget, the retry marker and, when edited, the new message.</summary>
    public static string RewriteEnvelope(string body, long failedMessageId, JsonObject? editedMessage)
    {
        if (JsonNode.Parse(body) is not JsonObject envelope)
            return body;
        if (envelope["headers"] is not JsonObject headers)
            envelope["headers"] = headers = new JsonObject();
        foreach (var name in headers.Select(h => h.Key).Where(k => DroppedEnvelopeHeaders.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
            headers.Remove(name);
        headers[FailedMessageStatus.RetryHeader] = failedMessageId.ToString();
        if (editedMessage is not null)
            envelope["message"] = editedMessage.DeepClone();
        return envelope.ToJsonString();
    }

    /// <summary>The short queue address both transports understand.</summary>
    private static Uri HubQueueAddress(string queue) => new($"queue:{queue}");

    private sealed class RetriedMessage : HubStoredMessage;
}

/// <summary>Placeholder message type: <see cref="OutboxMessageSendPipe"/> replaces body, types and headers.</summary>
public sealed class RetriedMessagePlaceholder;
