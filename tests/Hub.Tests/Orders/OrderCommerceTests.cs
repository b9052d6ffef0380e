using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Endpoints.Erp;
using Hub.Endpoints.Orders;
using Hub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Orders;

/// <summary>
/// What the ERP and billing report about an order (shipments, invoices, receipts, payments) applied to the order through its
/// domain, with the ERP record, in one transaction: once per document, and refused whole when the order breaks a rule.
/// </summary>
public sealed class OrderCommerceTests : IAsyncLifetime
{
    private OrderFlow _flow = null!;

    public async Task InitializeAsync() => _flow = await OrderFlow.StartAsync();

    public async Task DisposeAsync() => await _flow.DisposeAsync();

    private async Task<(Guid Id, string Number)> Fulfilling()
    {
        var id = await _flow.Place();
        await _flow.WorkOrders(id);
        return (id, Order.NumberFor(id));
    }

    private static RecordErpShipment Shipment(string number, params ErpShipmentLine[] lines) =>
        new(Guid.NewGuid(), "erp-a", "SHIP-" + Guid.NewGuid().ToString("N"), number, "WB-" + lines.Length, new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)),
            lines, DateTimeOffset.UtcNow);

    private static RecordErpInvoice Invoice(string number, string invoiceNumber, decimal amount) =>
        new(Guid.NewGuid(), "erp-a", "INV-" + Guid.NewGuid().ToString("N"), number, invoiceNumber, amount, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static RecordErpPaymentReceipt ErpReceipt(string number, decimal amount) =>
        new(Guid.NewGuid(), "erp-a", "RC-" + Guid.NewGuid().ToString("N"), number, "RC-1", amount, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)), DateTimeOffset.UtcNow);

    /// <summary>Waits for the fault of <paramref name="message"/> and returns its reason.</summary>
    private async Task<string> Refused<T>(T message, Func<T, bool> match) where T : class
    {
        var fault = await Eventually.Get(() => Task.FromResult(_flow.Harness.Published.Select<Fault<T>>().Select(f => f.Context.Message).Where(f => match(f.Message)).ToArray()),
            f => f.Length > 0, OrderFlow.Wait, $"{typeof(T).Name} refused");
        return fault[0].Exceptions.Single().Message;
    }

    [Fact]
    public async Task ERP_shipments_ship_the_order_once_each_and_one_beyond_what_is_left_is_refused_and_changes_nothing()
    {
        var (id, number) = await Fulfilling();
        var first = Shipment(number, new ErpShipmentLine("BB-100M", 1));
        await _flow.Publish(first);
        await _flow.Publish(first);
        var second = Shipment(number, new ErpShipmentLine("BB-100M", 1), new ErpShipmentLine("IPTV-BOX", 1));
        await _flow.Publish(second);
        var shipped = await _flow.AtLeast<OrderShipped>(2, s => s.OrderId == id);
        var over = Shipment(number, new ErpShipmentLine("BB-100M", 1));
        await _flow.Publish(over);

        Assert.Contains("only 0 left to ship of product BB-100M", await Refused(over, m => m.ReceiptId == over.ReceiptId));
        await _flow.Harness.InactivityTask;
        Assert.Equal([(first.ReceiptId, false), (second.ReceiptId, true)],
            _flow.Seen<OrderShipped>(s => s.OrderId == id).Select(s => (s.ShipmentId, s.FullyShipped ?? false)).OrderBy(s => s.Item2));
        Assert.Equal(("sales-li", "WB-1"), (shipped[0].OwnerUserId, shipped.Single(s => s.ShipmentId == first.ReceiptId).CarrierReference));
        var order = await _flow.Order(id);
        Assert.Equal(new[] { first.ReceiptId, second.ReceiptId }.Order(), order.Shipments.Select(s => s.Id).Order());
        Assert.Equal((2, 1, true), (order.ShippedQuantity(0), order.ShippedQuantity(1), order.IsFullyShipped));
        Assert.Equal(new[] { first.ReceiptId, second.ReceiptId }.Order(), (await _flow.Endpoints.Read(db => db.Set<ErpShipment>().AsNoTracking().Where(s => s.OrderId == id)
            .Select(s => s.ReceiptId).ToListAsync())).Order());
    }

    [Fact]
    public async Task Invoices_and_receipts_from_ERP_and_billing_are_taken_within_the_order_total_and_what_is_invoiced()
    {
        var (id, number) = await Fulfilling();
        var invoice = Invoice(number, "FP-001", 400m);
        await _flow.Publish(invoice);
        await _flow.Publish(invoice);
        var invoiced = Assert.Single(await _flow.AtLeast<OrderInvoiced>(1, i => i.OrderId == id));
        Assert.Equal((invoice.ReceiptId, "FP-001", 400m, 400m, 469m), (invoiced.InvoiceId, invoiced.InvoiceNumber, invoiced.Amount, invoiced.InvoicedAmount, invoiced.TotalAmount));
        var beyondTotal = Invoice(number, "FP-002", 70m);
        await _flow.Publish(beyondTotal);
        Assert.Matches(@"amount: only 69(\.0+)? is left to invoice", await Refused(beyondTotal, m => m.ReceiptId == beyondTotal.ReceiptId));

        var erp = ErpReceipt(number, 300m);
        await _flow.Publish(erp);
        var payment = new BillingPaymentReceived(id, "CH-1", 100m, "CNY", "evt_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        await _flow.Publish(payment);
        await _flow.Publish(payment);
        var received = await _flow.AtLeast<PaymentReceived>(2, r => r.OrderId == id);
        var beyondInvoiced = payment with { BillingEventId = "evt_" + Guid.NewGuid().ToString("N"), Amount = 0.01m };
        await _flow.Publish(beyondInvoiced);

        Assert.Contains("only 0 is invoiced and unpaid", await Refused(beyondInvoiced, m => m.BillingEventId == beyondInvoiced.BillingEventId));
        await _flow.Harness.InactivityTask;
        Assert.Single(_flow.Seen<OrderInvoiced>(i => i.OrderId == id));
        Assert.Equal(2, _flow.Seen<PaymentReceived>(r => r.OrderId == id).Length);
        var fromErp = received.Single(r => r.Source == PaymentSources.Erp);
        Assert.Equal((erp.ReceiptId, 300m, new DateOnly(2026, 3, 2), "RC-1", "sales-li"), (fromErp.ReceiptId, fromErp.Amount, fromErp.ReceivedOn, fromErp.Reference, fromErp.OwnerUserId));
        Assert.Equal(("CH-1", 100m), received.Where(r => r.Source == PaymentSources.Billing).Select(r => (r.Reference!, r.Amount)).Single());
        var order = await _flow.Order(id);
        Assert.Equal((400m, 400m), (order.InvoicedAmount, order.ReceivedAmount));
        Assert.Equal([invoice.ReceiptId], order.Invoices.Select(i => i.Id));

        var details = Assert.IsType<OrderDetails>((await _flow.Harness.GetRequestClient<GetOrder>().GetResponse<OrderDetails, OrderNotFound>(new GetOrder(id, null))).Message);
        Assert.Equal([(300m, "RC-1"), (100m, "CH-1")], details.Payments!.Select(p => (p.Amount, p.ReceiptNumber)).OrderByDescending(p => p.Amount));
    }

    [Fact]
    public async Task An_ERP_receipt_ahead_of_its_invoice_is_taken_as_finance_booked_it_and_flagged_as_an_advance()
    {
        var (id, number) = await Fulfilling();
        var early = ErpReceipt(number, 100m);
        await _flow.Publish(early);
        await _flow.AtLeast<PaymentReceived>(1, r => r.ReceiptId == early.ReceiptId);
        await _flow.Publish(Invoice(number, "FP-003", 469m));
        await _flow.AtLeast<OrderInvoiced>(1, i => i.OrderId == id);
        var later = ErpReceipt(number, 200m);
        await _flow.Publish(later);
        await _flow.AtLeast<PaymentReceived>(1, r => r.ReceiptId == later.ReceiptId);

        var order = await _flow.Order(id);
        Assert.Equal([(early.ReceiptId, true), (later.ReceiptId, false)], order.Receipts.Select(r => (r.Id, r.Overpayment)));
        Assert.Equal(300m, order.ReceivedAmount);
    }

    [Fact]
    public async Task A_document_for_an_order_the_hub_does_not_hold_is_refused_with_the_reason()
    {
        var unknown = Invoice("SO000000000000", "FP-9", 1m);
        await _flow.Publish(unknown);
        Assert.Contains("the hub holds no order SO000000000000", await Refused(unknown, m => m.ReceiptId == unknown.ReceiptId));
        var payment = new BillingPaymentReceived(Guid.NewGuid(), "CH-1", 1m, "CNY", "evt_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        await _flow.Publish(payment);
        Assert.Contains("the hub holds no order", await Refused(payment, m => m.BillingEventId == payment.BillingEventId));
        Assert.Equal(0, await _flow.Endpoints.Read(db => db.Set<ErpInvoice>().AsNoTracking().CountAsync(i => i.ReceiptId == unknown.ReceiptId)));
    }

    [Fact]
    public async Task The_order_takes_a_payment_plan_that_adds_up_and_announces_it_for_the_reminders()
    {
        var (id, _) = await Fulfilling();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var bad = Assert.IsType<OrderCommandRejected>(await _flow.Ask(new PlanOrderPayments(id, NewId.NextGuid(), "sales-li",
            [new PaymentInstalment(1, today.AddDays(30), 400m)], null, DateTimeOffset.UtcNow)));
        Assert.Contains("instalments", bad.Errors.Keys);
        var plan = new PlanOrderPayments(id, NewId.NextGuid(), "sales-li",
            [new PaymentInstalment(1, today.AddDays(30), 269m), new PaymentInstalment(2, today.AddDays(60), 200m)], null, DateTimeOffset.UtcNow);
        Assert.IsType<OrderDetails>(await _flow.Ask(plan));

        var agreed = Assert.Single(await _flow.AtLeast<PaymentPlanAgreed>(1, p => p.OrderId == id));
        Assert.Equal(plan.Instalments, agreed.Instalments);
        Assert.Equal("CNY", agreed.Currency);
        var order = await _flow.Order(id);
        Assert.Equal([269m, 200m], order.Instalments.Select(i => i.Amount));
        var reminder = Assert.Single(order.PaymentRemindersDue(today.AddDays(27), 3));
        Assert.Equal((1, 269m), (reminder.Instalment.Sequence, reminder.Outstanding));
    }
}
