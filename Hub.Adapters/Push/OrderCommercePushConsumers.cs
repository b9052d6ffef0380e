using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>
/// Tells an order's owner that (part of) the order shipped (003 §3.4.1 分批发货). Once per shipment: a republished event has the
/// same key. Events from hubs before the owner rode along name no owner and are not pushed.
/// </summary>
public sealed class OrderShippedPushConsumer(PushRecorder pushes) : IConsumer<OrderShipped>
{
    public Task Consume(ConsumeContext<OrderShipped> context)
    {
        var m = context.Message;
        if (m.OwnerUserId is not { Length: > 0 } owner)
            return Task.CompletedTask;
        var all = m.FullyShipped == true ? " Everything on the order has now shipped." : "";
        return pushes.RecordAsync(context, new PushNotice(owner, "order.shipped", $"order.shipped:{m.OrderId:N}:{m.ShipmentId:N}", m,
            $"Order {m.OrderNumber} shipped", $"Customer {m.CustomerCode}{(m.CarrierReference is null ? "" : $", waybill {m.CarrierReference}")}.{all}",
            new Dictionary<string, string>
            {
                ["kind"] = "order.shipped", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber, ["shipmentId"] = m.ShipmentId.ToString(),
            }));
    }
}

/// <summary>Tells an order's owner that an invoice was issued against the order (003 §3.4.1 开票), once per invoice.</summary>
public sealed class OrderInvoicedPushConsumer(PushRecorder pushes) : IConsumer<OrderInvoiced>
{
    public Task Consume(ConsumeContext<OrderInvoiced> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.OwnerUserId, "order.invoiced", $"order.invoiced:{m.OrderId:N}:{m.InvoiceId:N}", m,
            $"Order {m.OrderNumber} invoiced", $"Invoice {m.InvoiceNumber}: {m.Amount:0.00}; {m.InvoicedAmount:0.00} of {m.TotalAmount:0.00} invoiced.",
            new Dictionary<string, string>
            {
                ["kind"] = "order.invoiced", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber, ["invoiceId"] = m.InvoiceId.ToString(),
            }));
    }
}

/// <summary>
/// Tells an order's owner that money came in for the order (003 §3.4.2 实际收款), once per receipt, whichever system reported it.
/// Events from hubs before the owner rode along name no owner and are not pushed.
/// </summary>
public sealed class PaymentReceivedPushConsumer(PushRecorder pushes) : IConsumer<PaymentReceived>
{
    public Task Consume(ConsumeContext<PaymentReceived> context)
    {
        var m = context.Message;
        if (m.OwnerUserId is not { Length: > 0 } owner)
            return Task.CompletedTask;
        var soFar = m.ReceivedAmount is { } received ? $"; {received:0.00} received so far" : "";
        return pushes.RecordAsync(context, new PushNotice(owner, "order.payment-received", $"order.payment-received:{m.OrderId:N}:{m.ReceiptId:N}", m,
            $"Payment for order {m.OrderNumber}", $"{m.Amount:0.00} received on {m.ReceivedOn:yyyy-MM-dd}{soFar}.",
            new Dictionary<string, string>
            {
                ["kind"] = "order.payment-received", ["orderId"] = m.OrderId.ToString(), ["orderNumber"] = m.OrderNumber, ["receiptId"] = m.ReceiptId.ToString(),
            }));
    }
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class OrderShippedPushConsumerDefinition : ConsumerDefinition<OrderShippedPushConsumer>
{
    public OrderShippedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class OrderInvoicedPushConsumerDefinition : ConsumerDefinition<OrderInvoicedPushConsumer>
{
    public OrderInvoicedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class PaymentReceivedPushConsumerDefinition : ConsumerDefinition<PaymentReceivedPushConsumer>
{
    public PaymentReceivedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
