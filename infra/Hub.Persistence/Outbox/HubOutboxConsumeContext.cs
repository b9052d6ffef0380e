using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence;

/// <summary>The consume context a consumer sees inside the hub outbox: sends and publishes become outbox rows.</summary>
internal sealed class HubOutboxConsumeContext<TMessage>(
    ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider, HubDbContext db, HubInboxState state)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    public override Guid? MessageId => state.MessageId;
    public override bool ContinueProcessing { get; set; } = true;
    public override bool IsMessageConsumed => state.Consumed.HasValue;
    public override bool IsOutboxDelivered => state.Delivered.HasValue;
    public override int ReceiveCount => state.ReceiveCount;
    public override long? LastSequenceNumber => state.LastSequenceNumber;

    public override async Task SetConsumed()
    {
        state.Consumed = DateTime.UtcNow;
        state.Version++;
        await db.SaveChangesAsync(CancellationToken);
    }

    public override async Task SetDelivered()
    {
        state.Delivered = DateTime.UtcNow;
        state.Version++;
        await db.SaveChangesAsync(CancellationToken);
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var last = state.LastSequenceNumber ?? 0;
        var now = DateTime.UtcNow;
        var rows = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.InboxMessageId == state.MessageId && m.InboxConsumerId == ConsumerId && m.SequenceNumber > last)
            .Where(m => m.LockedUntil == null || m.LockedUntil < now) // not claimed by the sweeper
            .OrderBy(m => m.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .ToListAsync(CancellationToken);
        foreach (var row in rows)
            row.Deserialize(SerializerContext);
        return rows.Cast<OutboxMessageContext>().ToList();
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        state.LastSequenceNumber = message.SequenceNumber;
        state.Version++;
        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages() => db.OutboxMessages
        .Where(m => m.InboxMessageId == state.MessageId && m.InboxConsumerId == ConsumerId)
        .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        if (!context.MessageId.HasValue)
            throw new MessageException(typeof(T), "The SendContext MessageId must be present.");

        var now = DateTime.UtcNow;
        var row = new HubOutboxMessage
        {
            InboxMessageId = state.MessageId,
            InboxConsumerId = ConsumerId,
            MessageId = context.MessageId.Value,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = UtcTime.From(context.SentTime) ?? now,
            ExpirationTime = context.TimeToLive.HasValue ? now + context.TimeToLive.Value : null,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = SerializerContext.SerializeDictionary(context.Headers.GetAll()),
            CreatedAt = now,
        };
        if (context is TransportSendContext<T> transport)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(properties);
            row.Properties = SerializerContext.SerializeDictionary(properties);
        }

        // Publishes of one consumer may run concurrently; the DbContext is not thread-safe.
        lock (db)
            db.OutboxMessages.Add(row);
        return Task.CompletedTask;
    }
}

internal static class UtcTime
{
    /// <summary>Npgsql's timestamptz accepts only UTC kinds; unspecified times from the bus are UTC.</summary>
    public static DateTime? From(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } v => v,
        { Kind: DateTimeKind.Local } v => v.ToUniversalTime(),
        var v => DateTime.SpecifyKind(v.Value, DateTimeKind.Utc),
    };
}
