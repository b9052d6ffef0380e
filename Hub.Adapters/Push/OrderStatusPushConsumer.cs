using Crm.Contracts.Orders;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>
/// Tells an order's owner that it changed state, once per change: the change's time (its history entry) tells an order going
/// Approved again after a resend (a second fact) from the same change published again.
/// </summary>
public sealed class OrderStatusPushConsumer(PushRecorder pushes) : IConsumer<OrderStatusChanged>
{
    public Task Consume(ConsumeContext<OrderStatusChanged> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.OwnerUserId, "order.status", $"order.status:{m.OrderId:N}:{m.Status}:{m.OccurredAt.UtcTicks}", m,
            $"Order {m.OrderNumber}: {m.Status}", m.Reason ?? $"Order {m.OrderNumber} is now {m.Status}.",
            new Dictionary<string, string> { ["kind"] = "order.status", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber, ["status"] = m.Status }));
    }
}

/// <summary>Push consumers run on the mobile push endpoint.</summary>
public sealed class OrderStatusPushConsumerDefinition : ConsumerDefinition<OrderStatusPushConsumer>
{
    public OrderStatusPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
