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

/// <summary>Buffers audit records and writes them in batches, off the message path.</summary>
public sealed class MessageAuditLog(IServiceScopeFactory scopes, ILogger<MessageAuditLog> logger) : BackgroundService
{
    // Bounded so a slow store cannot eat the memory; when full, the message path waits briefly.
    private readonly Channel<AuditedMessage> _pending = Channel.CreateBounded<AuditedMessage>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    internal ValueTask Record(AuditedMessage message) => _pending.Writer.WriteAsync(message);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditedMessage>(500);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 500 && _pending.Reader.TryRead(out var m))
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

    private async Task Write(List<AuditedMessage> batch, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.Set<AuditedMessage>().AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex)
        {
            // The audit is an observation of the flow, never a gate on it: report and carry on.
            logger.LogError(ex, "Could not write {Count} audit records", batch.Count);
        }
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
        var body = context.ReceiveContext.Body.GetString();
        return log.Record(new AuditedMessage
        {
            MessageId = context.MessageId ?? Guid.Empty,
            MessageType = typeof(T).Name,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            SourceAddress = context.SourceAddress?.AbsolutePath.Trim('/'),
            Endpoint = context.ReceiveContext.InputAddress.AbsolutePath.Trim('/'),
            SentAt = context.SentTime is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : null,
            ProcessedAt = DateTime.UtcNow,
            ProcessingMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Outcome = exception is null ? "consumed" : "faulted",
            Error = exception is null ? null : $"{exception.GetType().FullName}: {exception.Message}",
            BusinessKeys = BusinessKeysOf(body),
            Headers = JsonSerializer.Serialize(context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value?.ToString())),
            Body = body,
        });
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
            return keys.Count == 0 ? "" : ";" + string.Join(";", keys) + ";";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private sealed record AuditStopwatch(long Started);
}
