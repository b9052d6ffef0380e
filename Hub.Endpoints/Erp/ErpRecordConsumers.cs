using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Erp;

// What the ERP reports over SOAP (/soap/erp), as commands accepted by the ERP inbound service. Each consumer records the
// document in its table and publishes the event, both committing together (transactional outbox). The inbox drops
// redeliveries; the receipt id drops a command the inbound service sent again after a crash or a lost confirmation.

/// <summary>Records a (partial) shipment against its order and tells the customer through <see cref="OrderShipped"/>.</summary>
public sealed class RecordErpShipmentConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpShipment>
{
    public async Task Consume(ConsumeContext<RecordErpShipment> context)
    {
        var m = context.Message;
        if (await db.Set<ErpShipment>().AnyAsync(s => s.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        db.Add(new ErpShipment
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            ShipmentNumber = m.ShipmentNumber, ShippedAt = m.ShippedAt.UtcDateTime, ShippedAtOffsetMinutes = ErpRecordTime.OffsetMinutes(m.ShippedAt), Lines = m.Lines, RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(new OrderShipped(order.Id, order.Number, order.CustomerCode, m.ReceiptId, m.ShipmentNumber, m.ShippedAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Records an invoice of an order and publishes <see cref="ErpInvoiceRecorded"/>.</summary>
public sealed class RecordErpInvoiceConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpInvoice>
{
    public async Task Consume(ConsumeContext<RecordErpInvoice> context)
    {
        var m = context.Message;
        if (await db.Set<ErpInvoice>().AnyAsync(i => i.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        db.Add(new ErpInvoice
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            InvoiceNumber = m.InvoiceNumber, Amount = m.Amount, IssuedAt = m.IssuedAt.UtcDateTime, IssuedAtOffsetMinutes = ErpRecordTime.OffsetMinutes(m.IssuedAt), RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(new ErpInvoiceRecorded(m.ReceiptId, order.Id, order.Number, m.InvoiceNumber, m.Amount, m.IssuedAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Records money received for an order and publishes <see cref="PaymentReceived"/> (payment plans count it, the customer is told).</summary>
public sealed class RecordErpPaymentReceiptConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpPaymentReceipt>
{
    public async Task Consume(ConsumeContext<RecordErpPaymentReceipt> context)
    {
        var m = context.Message;
        if (await db.Set<ErpPaymentReceipt>().AnyAsync(r => r.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        db.Add(new ErpPaymentReceipt
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            ReceiptNumber = m.ReceiptNumber, Amount = m.Amount, ReceivedOn = m.ReceivedOn.UtcDateTime, ReceivedOnOffsetMinutes = ErpRecordTime.OffsetMinutes(m.ReceivedOn), RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        // The business day of the receipt is the ERP's own: the date as the ERP wrote it, in the ERP's offset.
        await context.Publish(new PaymentReceived(m.ReceiptId, order.Id, order.Number, m.Amount, DateOnly.FromDateTime(m.ReceivedOn.DateTime)));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Keeps the latest stock level per product and warehouse and publishes <see cref="ErpStockLevelRecorded"/> when it changes the record.</summary>
public sealed class RecordErpStockLevelConsumer(HubDbContext db) : IConsumer<RecordErpStockLevel>
{
    public async Task Consume(ConsumeContext<RecordErpStockLevel> context)
    {
        var m = context.Message;
        var reportedAt = m.ReceivedAt.UtcDateTime;
        var level = await db.Set<ErpStockLevel>().FirstOrDefaultAsync(s => s.ProductCode == m.ProductCode && s.Warehouse == m.Warehouse, context.CancellationToken);
        if (level is null)
            db.Add(level = new ErpStockLevel { ProductCode = m.ProductCode, Warehouse = m.Warehouse });
        else if (level.ReceiptId == m.ReceiptId || level.ReportedAt > reportedAt)
            return;   // this report again, or one older than the level in force
        level.Quantity = m.Quantity;
        level.ReportedAt = reportedAt;
        level.ReceiptId = m.ReceiptId;
        await context.Publish(new ErpStockLevelRecorded(m.ProductCode, m.Warehouse, m.Quantity, m.ReceivedAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Keeps the ERP's product master data and publishes <see cref="ErpProductChanged"/> when a change is applied.</summary>
public sealed class RecordErpProductChangeConsumer(HubDbContext db) : IConsumer<RecordErpProductChange>
{
    public async Task Consume(ConsumeContext<RecordErpProductChange> context)
    {
        var m = context.Message;
        var changedAt = m.ReceivedAt.UtcDateTime;
        var product = await db.Set<ErpProduct>().FirstOrDefaultAsync(p => p.ProductCode == m.ProductCode, context.CancellationToken);
        if (product is null)
            db.Add(product = new ErpProduct { ProductCode = m.ProductCode });
        else if (product.ReceiptId == m.ReceiptId || product.ChangedAt > changedAt)
            return;   // this change again, or one older than the data in force
        product.Name = m.Name;
        product.SpecModel = m.SpecModel;
        product.State = m.State;
        product.ChangedAt = changedAt;
        product.ReceiptId = m.ReceiptId;
        await context.Publish(new ErpProductChanged(m.ProductCode, m.Name, m.SpecModel, m.State, m.ReceivedAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>The order an ERP document refers to.</summary>
internal static class ErpOrders
{
    /// <summary>
    /// The order numbered <paramref name="orderNumber"/>. The inbound service refuses documents for unknown orders before it
    /// accepts them, and orders are never deleted, so a miss here is a defect: it fails the message into the error queue.
    /// </summary>
    public static async Task<Order> Get(HubDbContext db, string orderNumber, CancellationToken ct) =>
        await db.Set<Order>().AsNoTracking().FirstOrDefaultAsync(o => o.Number == orderNumber, ct)
        ?? throw new InvalidOperationException($"ERP document refers to order {orderNumber}, which the hub does not hold.");
}

/// <summary>All ERP reports share the ERP inbound endpoint.</summary>
public sealed class RecordErpShipmentConsumerDefinition : ConsumerDefinition<RecordErpShipmentConsumer>
{
    public RecordErpShipmentConsumerDefinition() => EndpointName = HubQueues.ErpInbound;
}

/// <summary>See <see cref="RecordErpShipmentConsumerDefinition"/>.</summary>
public sealed class RecordErpInvoiceConsumerDefinition : ConsumerDefinition<RecordErpInvoiceConsumer>
{
    public RecordErpInvoiceConsumerDefinition() => EndpointName = HubQueues.ErpInbound;
}

/// <summary>See <see cref="RecordErpShipmentConsumerDefinition"/>.</summary>
public sealed class RecordErpPaymentReceiptConsumerDefinition : ConsumerDefinition<RecordErpPaymentReceiptConsumer>
{
    public RecordErpPaymentReceiptConsumerDefinition() => EndpointName = HubQueues.ErpInbound;
}

/// <summary>See <see cref="RecordErpShipmentConsumerDefinition"/>.</summary>
public sealed class RecordErpStockLevelConsumerDefinition : ConsumerDefinition<RecordErpStockLevelConsumer>
{
    public RecordErpStockLevelConsumerDefinition() => EndpointName = HubQueues.ErpInbound;
}

/// <summary>See <see cref="RecordErpShipmentConsumerDefinition"/>.</summary>
public sealed class RecordErpProductChangeConsumerDefinition : ConsumerDefinition<RecordErpProductChangeConsumer>
{
    public RecordErpProductChangeConsumerDefinition() => EndpointName = HubQueues.ErpInbound;
}
