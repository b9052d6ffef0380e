using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Endpoints.Erp;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Orders;

/// <summary>Answers <see cref="GetOrder"/> for every channel (REST, SOAP QueryOrder), with what the ERP reported for the order.</summary>
public sealed class GetOrderConsumer(HubDbContext db) : IConsumer<GetOrder>
{
    public async Task Consume(ConsumeContext<GetOrder> context)
    {
        var query = context.Message;
        var orders = OrderStore.Orders(db).AsNoTracking();
        var order = query.OrderId is { } id
            ? await orders.FirstOrDefaultAsync(o => o.Id == id, context.CancellationToken)
            : query.OrderNumber is { Length: > 0 } number
                ? await orders.FirstOrDefaultAsync(o => o.Number == number, context.CancellationToken)
                : null;
        if (order is null)
        {
            await context.RespondAsync(new OrderNotFound(query.OrderId, query.OrderNumber));
            return;
        }

        var state = await db.Set<OrderState>().AsNoTracking().FirstOrDefaultAsync(s => s.CorrelationId == order.Id, context.CancellationToken);
        await context.RespondAsync(OrderMapping.ToDetails(order, state) with
        {
            Shipments = (await db.Set<ErpShipment>().AsNoTracking().Where(r => r.OrderId == order.Id).OrderBy(r => r.ShippedAt).ToListAsync(context.CancellationToken))
                .Select(r => new OrderShipmentRecord(r.ReceiptId, r.ShipmentNumber, r.ShippedAtAsWritten, r.Lines)).ToArray(),
            Invoices = (await db.Set<ErpInvoice>().AsNoTracking().Where(r => r.OrderId == order.Id).OrderBy(r => r.IssuedAt).ToListAsync(context.CancellationToken))
                .Select(r => new OrderInvoiceRecord(r.ReceiptId, r.InvoiceNumber, r.Amount, r.IssuedAtAsWritten)).ToArray(),
            Payments = Payments(order, await db.Set<ErpPaymentReceipt>().AsNoTracking().Where(r => r.OrderId == order.Id).ToListAsync(context.CancellationToken)),
        });
    }

    /// <summary>
    /// The order's receipts, oldest first: the ERP's with the time as the ERP wrote it, billing's (no ERP record) on their value
    /// date with the charge id as their number.
    /// </summary>
    private static OrderPaymentRecord[] Payments(Order order, IReadOnlyList<ErpPaymentReceipt> erp) =>
        erp.Select(r => new OrderPaymentRecord(r.ReceiptId, r.ReceiptNumber, r.Amount, r.ReceivedOnAsWritten))
            .Concat(order.Receipts.Where(r => erp.All(e => e.ReceiptId != r.Id))
                .Select(r => new OrderPaymentRecord(r.Id, r.Reference ?? "", r.Amount, new DateTimeOffset(r.ReceivedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))))
            .OrderBy(p => p.ReceivedOn).ToArray();
}
