using System.Text.Json;
using Crm.Contracts.Orders;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>Records an order's state change for its owner's devices and wakes their streams.</summary>
public sealed class OrderStatusPushConsumer(HubDbContext db, PushFeed feed) : IConsumer<OrderStatusChanged>
{
    public async Task Consume(ConsumeContext<OrderStatusChanged> context)
    {
        var m = context.Message;
        if (!(await PushPreferencesApi.Load(db, m.OwnerUserId, context.CancellationToken)).Wants("order.status"))
            return;
        db.Add(new PushEvent
        {
            UserId = m.OwnerUserId,
            Sequence = await PushSequence.Next(db, m.OwnerUserId, context.CancellationToken),
            Kind = "order.status",
            Payload = JsonSerializer.Serialize(m, JsonSerializerOptions.Web),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(context.CancellationToken);
        feed.Signal(m.OwnerUserId);
    }
}

/// <summary>Push consumers run on the mobile push endpoint.</summary>
public sealed class OrderStatusPushConsumerDefinition : ConsumerDefinition<OrderStatusPushConsumer>
{
    public OrderStatusPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
