using Crm.Contracts.Customers;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Orders;

/// <summary>
/// The orders store follows a customer merge (<see cref="CustomersMerged"/>). The merge itself moves the duplicate's orders
/// (<c>crm_order</c>) in its own transaction; this moves what it does not touch: the order sagas' rows (<c>crm_order_saga</c>,
/// whose customer code later events such as <c>OrderCompleted</c> carry) and any order still under the duplicate's code. Product
/// instances, work orders and shipments hang off their order and follow it. A saga row's version is raised, so a saga step
/// racing the move meets the store's optimistic concurrency and is retried on the moved row. A repeated or late delivery finds
/// nothing under the duplicate's code and changes nothing.
/// </summary>
public sealed class OrderMergeConsumer(HubDbContext db) : IConsumer<CustomersMerged>
{
    public async Task Consume(ConsumeContext<CustomersMerged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var orders = await db.Set<Order>().Where(o => o.CustomerCode == m.DuplicateCode).ToListAsync(ct);
        foreach (var order in orders)
            order.MoveToCustomer(m.SurvivorCode);
        var sagas = await db.Set<OrderState>().Where(s => s.CustomerCode == m.DuplicateCode).ToListAsync(ct);
        foreach (var saga in sagas)
        {
            saga.CustomerCode = m.SurvivorCode;
            saga.Version++;
        }
        if (orders.Count + sagas.Count > 0)
            await db.SaveChangesAsync(ct);
    }
}

/// <summary>Follows merges on the orders endpoint.</summary>
public sealed class OrderMergeConsumerDefinition : ConsumerDefinition<OrderMergeConsumer>
{
    public OrderMergeConsumerDefinition() => EndpointName = HubQueues.Orders;
}
