using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.CrmStore.Customers;
using Hub.Infrastructure.Telemetry;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Accepts an order: the domain checks it, the store keeps it, <see cref="OrderPlaced"/> starts its
/// saga. The save and the event commit together (transactional outbox); placing the same order
/// id again changes nothing. An order for a customer merged away is placed for its survivor (the merge already moved the others).
/// </summary>
public sealed class PlaceOrderConsumer(HubDbContext db, TimeProvider clock) : IConsumer<PlaceOrder>
{
    public async Task Consume(ConsumeContext<PlaceOrder> context)
    {
        var command = context.Message;
        if (await db.Set<Order>().AnyAsync(o => o.Id == command.OrderId, context.CancellationToken))
            return;

        var customerCode = string.IsNullOrWhiteSpace(command.CustomerCode)
            ? command.CustomerCode
            : await db.SurvivingCodeAsync(command.CustomerCode.Trim(), context.CancellationToken);
        var order = Order.Place(command.OrderId, customerCode, command.OwnerUserId,
            command.Lines.Select(OrderMapping.ToItem).ToArray(), command.ContactEmail, command.Channel, clock.GetUtcNow());
        db.Add(order);
        await context.Publish(new OrderPlaced(order.Id, order.Number, order.CustomerCode, order.OwnerUserId,
            command.Lines, order.TotalAmount, order.ContactEmail, order.PlacedAt));
        await db.SaveChangesAsync(context.CancellationToken);
        HubDiagnostics.OrdersAccepted.Add(1);
    }
}
