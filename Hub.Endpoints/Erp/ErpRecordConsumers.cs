using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain;
using Crm.Domain.Orders;
using Hub.Endpoints.Orders;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Erp;

// What the ERP reports over SOAP (/soap/erp), as commands accepted by the ERP inbound service. Each consumer applies the document
// to its order through the domain (Order.ShipProducts, IssueInvoice, RecordReceipt), records the document in its table and
// publishes the event, all committing together (transactional outbox). The inbox drops redeliveries; the receipt id (also the
// shipment's, invoice's or receipt's id on the order) drops a command the inbound service sent again after a crash or a lost
// confirmation. A document for an order the hub does not hold, or one the order refuses (shipping more than was ordered,
// invoicing beyond the total, ...), changes nothing and goes to the error queue with the broken rules (DomainRuleViolation is
// not retried), where /ops shows the reason.

/// <summary>Ships (part of) the order as the ERP reports it and tells the customer through <see cref="OrderShipped"/>.</summary>
public sealed class RecordErpShipmentConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpShipment>
{
    public async Task Consume(ConsumeContext<RecordErpShipment> context)
    {
        var m = context.Message;
        if (await db.Set<ErpShipment>().AnyAsync(s => s.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        OrderStore.Touch(db, order);
        order.ShipProducts(m.ReceiptId, m.Lines.Select(l => new ShippedProduct(l.ProductCode, l.Quantity)).ToArray(), m.ShippedAt, m.ShipmentNumber);
        db.Add(new ErpShipment
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            ShipmentNumber = m.ShipmentNumber, ShippedAt = m.ShippedAt.UtcDateTime, ShippedAtOffsetMinutes = ErpRecordTime.OffsetMinutes(m.ShippedAt), Lines = m.Lines, RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(new OrderShipped(order.Id, order.Number, order.CustomerCode, m.ReceiptId, m.ShipmentNumber, m.ShippedAt,
            order.OwnerUserId, order.IsFullyShipped));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Invoices the order as the ERP reports it and publishes <see cref="OrderInvoiced"/>.</summary>
public sealed class RecordErpInvoiceConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpInvoice>
{
    public async Task Consume(ConsumeContext<RecordErpInvoice> context)
    {
        var m = context.Message;
        if (await db.Set<ErpInvoice>().AnyAsync(i => i.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        OrderStore.Touch(db, order);
        var invoice = order.IssueInvoice(m.ReceiptId, m.InvoiceNumber, m.Amount, m.IssuedAt);
        db.Add(new ErpInvoice
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            InvoiceNumber = m.InvoiceNumber, Amount = m.Amount, IssuedAt = m.IssuedAt.UtcDateTime, IssuedAtOffsetMinutes = ErpRecordTime.OffsetMinutes(m.IssuedAt), RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(new OrderInvoiced(order.Id, order.Number, order.CustomerCode, order.OwnerUserId, invoice.Id, invoice.Number, invoice.Amount,
            order.InvoicedAmount, order.TotalAmount, m.IssuedAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>
/// Takes money the ERP received as a receipt of the order (flagged <see cref="Receipt.Overpayment"/> where it goes beyond what is
/// invoiced: the ERP's finance booked it) and publishes <see cref="PaymentReceived"/> (payment reminders and the
/// dealers' ledger count it, the customer is told).
/// </summary>
public sealed class RecordErpPaymentReceiptConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RecordErpPaymentReceipt>
{
    public async Task Consume(ConsumeContext<RecordErpPaymentReceipt> context)
    {
        var m = context.Message;
        if (await db.Set<ErpPaymentReceipt>().AnyAsync(r => r.ReceiptId == m.ReceiptId, context.CancellationToken))
            return;
        var order = await ErpOrders.Get(db, m.OrderNumber, context.CancellationToken);
        // The business day of the receipt is the ERP's own: the date as the ERP wrote it, in the ERP's offset.
        OrderStore.Touch(db, order);
        // The ERP is finance's book: money it booked beyond what is invoiced yet (an advance, or an invoice still on its way
        // through the queue) is finance's accepted overpayment, recorded and flagged as such rather than refused.
        var advance = order.ReceivedAmount + m.Amount > order.InvoicedAmount;
        var receipt = order.RecordReceipt(m.ReceiptId, m.Amount, DateOnly.FromDateTime(m.ReceivedOn.DateTime), m.ReceiptNumber, overpayment: advance);
        db.Add(new ErpPaymentReceipt
        {
            ReceiptId = m.ReceiptId, PartnerId = m.PartnerId, DocumentId = m.DocumentId, OrderId = order.Id, OrderNumber = order.Number,
            ReceiptNumber = m.ReceiptNumber, Amount = m.Amount, ReceivedOn = m.ReceivedOn.UtcDateTime, ReceivedOnOffsetMinutes = ErpRecordTime.OffsetMinutes(m.ReceivedOn), RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(OrderReceipts.Received(order, receipt, PaymentSources.Erp));
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
    /// The order numbered <paramref name="orderNumber"/>, tracked with everything that belongs to it. The inbound service refuses
    /// documents for unknown orders before it accepts them; one that slips through (an order number the ERP got wrong in a
    /// document accepted earlier) is refused here as a broken rule, so it goes to the error queue with the reason at once.
    /// </summary>
    public static async Task<Order> Get(HubDbContext db, string orderNumber, CancellationToken ct) =>
        await OrderStore.Find(db, orderNumber, ct)
        ?? throw DomainRuleViolation.Of("orderNumber", $"the hub holds no order {orderNumber}");
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
