using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Monitoring;

/// <summary>
/// Sits in each endpoint's error pipe, so it runs only when a message has spent its retries and
/// redeliveries and is being moved to the error queue: records it in <c>failed_message</c>, then lets
/// MassTransit generate the fault and move it as usual (the broker keeps its copy if the store is down).
/// </summary>
internal sealed class FailedMessageCapture(IServiceScopeFactory scopes, EndpointMetrics metrics, ILogger<FailedMessageCapture> logger)
    : IFilter<ExceptionReceiveContext>
{
    // MassTransit's own bookkeeping of the failed attempt: a retry starts afresh without it.
    private static readonly string[] DroppedHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Redelivery-Count", FailedMessageStatus.RetryHeader];

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        metrics.MovedToError();
        try
        {
            await Record(context);
        }
        catch (Exception ex)
        {
            // The error queue still receives the message; the operations view misses it, which the log says.
            logger.LogError(ex, "Could not record failed message {MessageId} from {InputAddress}", context.GetMessageId(), context.InputAddress);
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hubFailedMessageCapture");

    private async Task Record(ExceptionReceiveContext context)
    {
        var body = context.Body.GetString();
        var envelope = Envelope.Parse(body);
        var exception = Innermost(context.Exception);
        var messageId = envelope.MessageId ?? context.GetMessageId() ?? Guid.Empty;
        var endpoint = QueueOf(context.InputAddress);
        var now = DateTime.UtcNow;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var row = await db.Set<FailedMessage>()
            .Where(m => m.MessageId == messageId && m.Endpoint == endpoint && m.Status != FailedMessageStatus.Archived)
            .OrderByDescending(m => m.Id)
            .FirstOrDefaultAsync();
        if (row is null)
        {
            row = new FailedMessage { MessageId = messageId, Endpoint = endpoint, FirstFailedAt = now };
            db.Add(row);
        }
        row.MessageType = envelope.ShortType ?? "unknown";
        row.MessageTypeUrns = string.Join(";", envelope.TypeUrns);
        row.ConversationId = envelope.ConversationId;
        row.CorrelationId = envelope.CorrelationId;
        row.SourceAddress = envelope.SourceAddress;
        row.InputAddress = context.InputAddress.ToString();
        row.ExceptionType = exception.GetType().FullName ?? exception.GetType().Name;
        row.ExceptionMessage = exception.Message;
        row.StackTrace = exception.StackTrace;
        row.FailurePoint = FailurePointOf(exception.StackTrace);
        row.GroupId = GroupIdOf(row.ExceptionType, endpoint, row.MessageType);
        row.LastFailedAt = now;
        row.FailureCount++;
        row.Status = FailedMessageStatus.Unresolved;
        row.BusinessKeys = MessageAuditObserver.BusinessKeysOf(body);
        row.ContentType = context.ContentType?.ToString() ?? "application/vnd.masstransit+json";
        row.Headers = JsonSerializer.Serialize(context.TransportHeaders.GetAll()
            .Where(h => !DroppedHeaderPrefixes.Any(p => h.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(h => h.Key, h => h.Value?.ToString()));
        row.Body = body;
        await db.SaveChangesAsync();
    }

    /// <summary>The group of a failure: same exception, same endpoint, same message type.</summary>
    public static string GroupIdOf(string exceptionType, string endpoint, string messageType) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{exceptionType}|{endpoint}|{messageType}")))[..16];

    /// <summary>The queue name of an input address (the last path segment; RabbitMQ puts the virtual host before it).</summary>
    public static string QueueOf(Uri address) => address.AbsolutePath.TrimEnd('/').Split('/').Last();

    private static Exception Innermost(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Innermost(a.InnerExceptions[0]),
        _ => exception,
    };

    /// <summary>The first stack frame in our code (not the framework's), without the file path: where it failed.</summary>
    internal static string FailurePointOf(string? stackTrace)
    {
        if (string.IsNullOrEmpty(stackTrace))
            return "";
        var frames = stackTrace.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToArray();
        var ours = frames.FirstOrDefault(f => !(f.StartsWith("at System.", StringComparison.Ordinal)
            || f.StartsWith("at Microsoft.", StringComparison.Ordinal) || f.StartsWith("at MassTransit.", StringComparison.Ordinal)
            || f.StartsWith("at Polly.", StringComparison.Ordinal))) ?? frames.FirstOrDefault() ?? "";
        var file = ours.IndexOf(" in ", StringComparison.Ordinal);
        return (file > 0 ? ours[..file] : ours)[Math.Min(3, ours.Length)..];
    }
}

/// <summary>The parts of a MassTransit JSON envelope the operations view needs.</summary>
public sealed record Envelope(Guid? MessageId, Guid? ConversationId, Guid? CorrelationId, string? SourceAddress, string[] TypeUrns)
{
    /// <summary>Short name of the first message type, e.g. <c>CreateBillingCharge</c>.</summary>
    public string? ShortType => TypeUrns.Length == 0 ? null : TypeUrns[0].Split(':').Last();

    /// <summary>Reads an envelope; a body that is not one yields empty parts.</summary>
    public static Envelope Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new(null, null, null, null, []);
            Guid? Id(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && Guid.TryParse(v.GetString(), out var g) ? g : null;
            var types = root.TryGetProperty("messageType", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
                : [];
            var source = root.TryGetProperty("sourceAddress", out var s) && s.ValueKind == JsonValueKind.String
                && Uri.TryCreate(s.GetString(), UriKind.Absolute, out var uri) ? FailedMessageCapture.QueueOf(uri) : null;
            return new(Id("messageId"), Id("conversationId"), Id("correlationId"), source, types);
        }
        catch (JsonException)
        {
            return new(null, null, null, null, []);
        }
    }
}
