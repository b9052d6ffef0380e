using Crm.Contracts.Orders;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>
/// Tells an order's owner, once per refusal, that ERP refused the order's completion and why: the order waits for the cause to be
/// put right in ERP and a manager to resend the completion.
/// </summary>
public sealed class OrderCompletionRefusedPushConsumer(PushRecorder pushes) : IConsumer<OrderCompletionRefused>
{
    public Task Consume(ConsumeContext<OrderCompletionRefused> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.OwnerUserId, "order.completion-refused", $"order.completion-refused:{m.OrderId:N}:{m.RefusedAt.UtcTicks}", m,
            $"ERP refused order {m.OrderNumber}", m.Reason,
            new Dictionary<string, string> { ["kind"] = "order.completion-refused", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber },
            Urgent: true));
    }
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class OrderCompletionRefusedPushConsumerDefinition : ConsumerDefinition<OrderCompletionRefusedPushConsumer>
{
    public OrderCompletionRefusedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
