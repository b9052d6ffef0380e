using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Audit;

/// <summary>Registration of the message audit.</summary>
public static class MessageAuditRegistration
{
    /// <summary>Adds the audit store model, the observer and its background writer.</summary>
    public static IServiceCollection AddMessageAudit(this IServiceCollection services)
    {
        services.AddSingleton<IHubStoreModel, AuditStoreModel>();
        services.AddSingleton<MessageAuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageAuditLog>());
        return services;
    }

    /// <summary>Audits every message this bus consumes, on every endpoint.</summary>
    public static void ConnectHubMessageAudit(this IBusFactoryConfigurator cfg, IBusRegistrationContext context) =>
        cfg.ConnectConsumeObserver(new MessageAuditObserver(context.GetRequiredService<MessageAuditLog>()));
}

/// <summary>
/// Buffers audit records and writes them in batches, off the message path: the message path only copies what it
/// saw; business keys and headers are worked out here, and rows go in with the provider's bulk path (binary COPY on
/// PostgreSQL, one prepared statement in one transaction on SQLite), so the audit holds SQLite's single write lock
/// for milliseconds per batch rather than competing row by row with the messages it observes.
/// </summary>
public sealed class MessageAuditLog(HubModuleStore store, ILogger<MessageAuditLog> logger) : BackgroundService
{
    private const int BatchSize = 1000;
    // A batch waits this long to fill up: fewer, larger transactions beside the message path's own.
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(250);

    // Bounded so a slow store cannot eat the memory; when full, the message path waits briefly.
    private readonly Channel<ObservedMessage> _pending = Channel.CreateBounded<ObservedMessage>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    internal ValueTask Record(ObservedMessage message) => _pending.Writer.WriteAsync(message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ObservedMessage>(BatchSize);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchWindow, stoppingToken);
                while (batch.Count < BatchSize && _pending.Reader.TryRead(out var m))
                    batch.Add(m);
                await Write(batch, CancellationToken.None);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_pending.Reader.TryRead(out var m))
                batch.Add(m);
            if (batch.Count > 0)
                await Write(batch, CancellationToken.None);
        }
    }

    private async Task Write(List<ObservedMessage> batch, CancellationToken ct)
    {
        try
        {
            var rows = batch.Select(m => m.ToRecord()).ToList();
            await using var db = store.OpenAudit();
            await AuditBulkInsert.InsertAsync(db, rows, ct);
        }
        catch (Exception ex)
        {
            // The audit is an observation of the flow, never a gate on it: report and carry on.
            logger.LogError(ex, "Could not write {Count} audit records", batch.Count);
        }
    }
}

/// <summary>What the message path hands to the audit: copies only, no parsing.</summary>
internal sealed record ObservedMessage(Guid MessageId, string MessageType, Guid? ConversationId, Guid? CorrelationId, Guid? InitiatorId,
    string? SourceAddress, string Endpoint, DateTime? SentAt, DateTime ProcessedAt, double ProcessingMs, string? Error,
    KeyValuePair<string, object>[] Headers, byte[] Body)
{
    public AuditedMessage ToRecord()
    {
        var body = System.Text.Encoding.UTF8.GetString(Body);
        return new AuditedMessage
        {
            MessageId = MessageId, MessageType = MessageType, ConversationId = ConversationId, CorrelationId = CorrelationId, InitiatorId = InitiatorId,
            SourceAddress = SourceAddress, Endpoint = Endpoint, SentAt = SentAt, ProcessedAt = ProcessedAt, ProcessingMs = ProcessingMs,
            Outcome = Error is null ? "consumed" : "faulted", Error = Error,
            BusinessKeys = MessageAuditObserver.BusinessKeysOf(body),
            Headers = JsonSerializer.Serialize(Headers.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Last().Value?.ToString())),
            Body = body,
        };
    }
}

internal sealed class MessageAuditObserver(MessageAuditLog log) : IConsumeObserver
{
    private static readonly string[] KeyNames = ["orderNumber", "orderId", "customerCode", "documentId", "ticketNumber", "ticketId"];

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        context.GetOrAddPayload(() => new AuditStopwatch(Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Record(context, null).AsTask();

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Record(context, exception).AsTask();

    private ValueTask Record<T>(ConsumeContext<T> context, Exception? exception) where T : class
    {
        var started = context.TryGetPayload<AuditStopwatch>(out var sw) ? sw.Started : Stopwatch.GetTimestamp();
        return log.Record(new ObservedMessage(
            context.MessageId ?? Guid.Empty,
            typeof(T).Name,
            context.ConversationId,
            context.CorrelationId,
            context.InitiatorId,
            context.SourceAddress?.AbsolutePath.Trim('/'),
            context.ReceiveContext.InputAddress.AbsolutePath.Trim('/'),
            context.SentTime is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : null,
            DateTime.UtcNow,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            exception is null ? null : $"{exception.GetType().FullName}: {exception.Message}",
            context.Headers.GetAll().ToArray(),
            context.ReceiveContext.Body.GetBytes()));
    }

    /// <summary>Top-level business keys of the message, as <c>name=value;</c> pairs, for search.</summary>
    internal static string BusinessKeysOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var message = doc.RootElement.TryGetProperty("message", out var m) ? m : doc.RootElement;
            if (message.ValueKind != JsonValueKind.Object)
                return "";
            var keys = new List<string>();
            foreach (var name in KeyNames)
                if (message.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    keys.Add($"{name}={value}");
            // Customer commands carry the code inside their profile; the body is sealed, so this is the only way to find them.
            if (!message.TryGetProperty("customerCode", out _) && message.TryGetProperty("profile", out var profile)
                && profile.ValueKind == JsonValueKind.Object && profile.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                keys.Add($"customerCode={code}");
            return keys.Count == 0 ? "" : ";" + string.Join(";", keys) + ";";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private sealed record AuditStopwatch(long Started);
}
