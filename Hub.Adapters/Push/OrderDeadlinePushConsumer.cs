using Crm.Contracts.Orders;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>
/// Alarms an order's owner that it missed its deadline: urgent, so it rings even in quiet hours. A repeated alarm names its own
/// due time (a new fact, alarmed again); the same alarm published again is not.
/// </summary>
public sealed class OrderDeadlinePushConsumer(PushRecorder pushes) : IConsumer<OrderDeadlineExceeded>
{
    public Task Consume(ConsumeContext<OrderDeadlineExceeded> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.OwnerUserId, "order.deadline", $"order.deadline:{m.OrderId:N}:{m.State}:{m.DeadlineAt.UtcTicks}", m,
            $"Order {m.OrderNumber} missed its deadline", $"Still {m.State}; the deadline was {m.DeadlineAt:yyyy-MM-dd HH:mm} UTC.",
            new Dictionary<string, string> { ["kind"] = "order.deadline", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber, ["state"] = m.State },
            Urgent: true));
    }
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class OrderDeadlinePushConsumerDefinition : ConsumerDefinition<OrderDeadlinePushConsumer>
{
    public OrderDeadlinePushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
