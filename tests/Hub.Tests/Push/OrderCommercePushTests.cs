using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.TestSupport;

namespace Hub.Tests.Push;

/// <summary>
/// An order's owner hears of its commerce (shipments, invoices, money received) and of ERP refusing its completion on their phones:
/// once per document, honouring their push preferences, and with no sensitive field in what leaves the hub.
/// </summary>
[Collection("push-hub")]
public sealed class OrderCommercePushTests(PushHub hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static OrderShipped Shipped(Guid orderId, string number, string? owner) =>
        new(orderId, number, "C-1001", Guid.NewGuid(), "SF1234567890", DateTimeOffset.UtcNow, owner, FullyShipped: true);

    private static OrderInvoiced Invoiced(Guid orderId, string number, string owner) =>
        new(orderId, number, "C-1001", owner, Guid.NewGuid(), "INV-0042", 600m, 600m, 1000m, DateTimeOffset.UtcNow);

    private static PaymentReceived Paid(Guid orderId, string number, string owner) =>
        new(Guid.NewGuid(), orderId, number, 400m, new DateOnly(2026, 3, 2), PaymentSources.Erp, "C-1001", owner, "RC-7", 400m);

    private async Task<JsonElement[]> Pushed(string token, int count) =>
        (await Eventually.Get(() => Task.FromResult(hub.Fcm.For(token)), a => a.Length == count, Wait, $"{count} pushes"))
            .Select(p => p.Body.GetProperty("message")).ToArray();

    private static string KindOf(JsonElement message) => message.GetProperty("data").GetProperty("kind").GetString()!;

    [Fact]
    public async Task Shipment_invoice_payment_and_completion_refusal_reach_the_owners_phone_and_stream_once_each()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        using var phone = await hub.PhoneAsync("sales", "android", token, MobileRoles.Salesperson);
        var owner = phone.UserId;
        var orderId = Guid.NewGuid();
        var shipped = Shipped(orderId, "SO-4001", owner);
        var invoiced = Invoiced(orderId, "SO-4001", owner);
        var paid = Paid(orderId, "SO-4001", owner);

        await hub.PublishAsync(shipped);
        await hub.PublishAsync(invoiced);
        await hub.PublishAsync(paid);
        // Republished (a redelivered ERP document's event): the same keys, pushed no second time.
        await hub.PublishAsync(shipped);
        await hub.PublishAsync(paid);
        // Handled after the repeats on the one-at-a-time push endpoint: its push proves they were handled.
        await hub.PublishAsync(new OrderCompletionRefused(orderId, "SO-4001", "C-1001", owner, "customer account frozen in ERP", DateTimeOffset.UtcNow));

        var pushed = (await Pushed(token, 4)).ToDictionary(KindOf);
        Assert.Equal(["order.completion-refused", "order.invoiced", "order.payment-received", "order.shipped"], pushed.Keys.Order());
        Assert.Equal("Order SO-4001 shipped", pushed["order.shipped"].GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("Customer C-1001, waybill SF1234567890. Everything on the order has now shipped.",
            pushed["order.shipped"].GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal(shipped.ShipmentId.ToString(), pushed["order.shipped"].GetProperty("data").GetProperty("shipmentId").GetString());
        Assert.Equal("Invoice INV-0042: 600.00; 600.00 of 1000.00 invoiced.", pushed["order.invoiced"].GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("400.00 received on 2026-03-02; 400.00 received so far.", pushed["order.payment-received"].GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal(paid.ReceiptId.ToString(), pushed["order.payment-received"].GetProperty("data").GetProperty("receiptId").GetString());
        Assert.Equal("ERP refused order SO-4001", pushed["order.completion-refused"].GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("high", pushed["order.completion-refused"].GetProperty("android").GetProperty("priority").GetString());

        var events = await hub.EventsAsync(owner);
        // The live stream too has each document once: the republished copies were skipped.
        Assert.Equal(["order.completion-refused", "order.invoiced", "order.payment-received", "order.shipped"], events.Select(e => e.Kind).Order());
        Assert.All(events, e => Assert.False(SensitiveFields.NamedIn(e.Payload), $"{e.Kind} carries a sensitive field: {e.Payload}"));
        Assert.Equal(orderId, JsonDocument.Parse(events.Single(e => e.Kind == "order.invoiced").Payload).RootElement.GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task Commerce_pushes_are_silent_in_quiet_hours_and_a_muted_kind_is_neither_streamed_nor_pushed()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        using var phone = await hub.PhoneAsync("sales", "android", token, MobileRoles.Salesperson);
        var owner = phone.UserId;
        await PushHub.QuietNowAsync(phone, "order.invoiced");
        var orderId = Guid.NewGuid();

        // In this order on one queue: the muted invoice is handled before the two that are pushed.
        await hub.PublishAsync(Invoiced(orderId, "SO-4002", owner));
        await hub.PublishAsync(Shipped(orderId, "SO-4002", owner));
        await hub.PublishAsync(Paid(orderId, "SO-4002", owner));

        var pushed = await Pushed(token, 2);
        Assert.Equal(["order.payment-received", "order.shipped"], pushed.Select(KindOf).Order());
        Assert.All(pushed, m =>
        {
            Assert.False(m.TryGetProperty("notification", out _), "a commerce push in quiet hours is silent");
            Assert.Equal("normal", m.GetProperty("android").GetProperty("priority").GetString());
        });
        Assert.DoesNotContain(await hub.EventsAsync(owner), e => e.Kind == "order.invoiced");
        Assert.DoesNotContain(await hub.DeliveriesAsync(owner), d => d.Kind == "order.invoiced");
    }
}
