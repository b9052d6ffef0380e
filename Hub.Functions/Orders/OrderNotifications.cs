using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;

namespace Hub.Functions.Orders;

/// <summary>Confirms to the customer that the order was accepted (003 §3.4.1), by SMS.</summary>
[BusTrigger(typeof(OrderPlaced))]
public sealed class OrderAcceptedNotification(Notifier notifier) : IFunction<OrderPlaced>
{
    public Task Run(OrderPlaced message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("order-accepted", message.OrderNumber, RecipientKeys.Customer(message.CustomerCode),
            new Dictionary<string, object?> { ["orderNumber"] = message.OrderNumber, ["totalAmount"] = message.TotalAmount })
        {
            CustomerCode = message.CustomerCode,
        }], context);
}

/// <summary>Tells the customer that (part of) the order shipped, with the waybill when there is one.</summary>
[BusTrigger(typeof(OrderShipped))]
public sealed class OrderShippedNotification(Notifier notifier) : IFunction<OrderShipped>
{
    public Task Run(OrderShipped message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("order-shipped", $"{message.OrderNumber}/{message.ShipmentId:N}",
            RecipientKeys.Customer(message.CustomerCode), new Dictionary<string, object?>
            {
                ["orderNumber"] = message.OrderNumber,
                ["shippedAt"] = message.ShippedAt,
                ["carrierReference"] = message.CarrierReference,
            })
        {
            CustomerCode = message.CustomerCode,
        }], context);
}

/// <summary>Tells the customer the order is complete: by email to the order's contact address, and by SMS.</summary>
[BusTrigger(typeof(OrderCompleted))]
public sealed class OrderCompletedNotification(Notifier notifier) : IFunction<OrderCompleted>
{
    public Task Run(OrderCompleted message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("order-completed", message.OrderNumber, RecipientKeys.Customer(message.CustomerCode),
            new Dictionary<string, object?> { ["orderNumber"] = message.OrderNumber, ["totalAmount"] = message.TotalAmount })
        {
            Email = message.ContactEmail,
            CustomerCode = message.CustomerCode,
        }], context);
}

/// <summary>
/// Confirms to the customer that money came in for the order (003 §3.4.2 实际收款), once per receipt, whichever system reported it.
/// Events from hubs before the customer rode along name no customer and tell no one.
/// </summary>
[BusTrigger(typeof(PaymentReceived))]
public sealed class PaymentReceivedNotification(Notifier notifier) : IFunction<PaymentReceived>
{
    public Task Run(PaymentReceived message, FunctionContext context) =>
        message.CustomerCode is not { Length: > 0 } customer
            ? Task.CompletedTask
            : notifier.NotifyAsync([new NotificationRequest("payment-received", $"{message.OrderNumber}/{message.ReceiptId:N}", RecipientKeys.Customer(customer),
                new Dictionary<string, object?>
                {
                    ["orderNumber"] = message.OrderNumber,
                    ["amount"] = message.Amount,
                    ["receivedOn"] = message.ReceivedOn,
                })
            {
                CustomerCode = customer,
            }], context);
}
