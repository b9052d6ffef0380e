using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Tests.Support;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>
/// Order events reach customers (and an order's owner) by email over a real SMTP server and by SMS through a real Kannel gateway.
/// </summary>
[Collection("notifications")]
public sealed class OrderNotificationTests(NotificationsFixture f)
{
    private static string NewOrderNumber() => "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private static OrderCompleted Completed(string number, string customer, string? email) =>
        new(Guid.NewGuid(), number, customer, "sales-li", "ERP-1", "CH-1", 199m, email, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Completed_order_email_reaches_the_smtp_server_in_the_recipients_language_with_text_and_html()
    {
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var email = $"{customer.ToLowerInvariant()}@example.com";
        await f.Register($"customer:{customer}", new { name = "Jane Smith", email, language = "en" });
        var number = NewOrderNumber();

        await f.Host.Publish(Completed(number, customer, email));

        var mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count > 0, TimeSpan.FromSeconds(30), "completion email");
        var received = Assert.Single(mail);
        Assert.Equal($"Order {number} completed", received.Subject);
        Assert.Contains("Dear Jane Smith", received.Text);
        Assert.Contains($"<b>{number}</b>", received.Html);
        Assert.Contains("199.00", received.Text);
        var notification = (await f.Host.WaitForNotifications(number, n => n.Any(x => x.State == NotificationState.Sent), "email recorded sent"))
            .Single(n => n.Channel == NotificationChannel.Email);
        Assert.Equal($"<{notification.Id:N}@crm-hub>", received.Headers["Message-ID"]);
        Assert.Contains("/notifications/unsubscribe?token=", received.Headers["List-Unsubscribe"]);
        Assert.Equal($"customer:{customer}", notification.RecipientKey);
        Assert.Equal(customer, notification.CustomerCode);
    }

    [Fact]
    public async Task Completed_order_email_to_an_unregistered_customer_is_chinese_by_default()
    {
        var number = NewOrderNumber();
        var email = $"buyer-{number.ToLowerInvariant()}@example.com";

        await f.Host.Publish(Completed(number, "C-UNKNOWN", email));

        var mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count > 0, TimeSpan.FromSeconds(30), "completion email");
        Assert.Equal($"订单 {number} 已完成", mail[0].Subject);
        Assert.Contains("尊敬的客户，您好", mail[0].Text);
        Assert.Contains("199.00 元", mail[0].Text);
        Assert.DoesNotContain("List-Unsubscribe", mail[0].Headers.Keys);
    }

    [Fact]
    public async Task Accepted_order_sms_goes_through_kannel_in_chinese_and_the_delivery_report_marks_it_delivered()
    {
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var phone = NotificationsFixture.NewPhone();
        await f.Register($"customer:{customer}", new { name = "李雷", phone = "+86 " + phone, language = "zh" });
        var number = NewOrderNumber();

        await f.Host.Publish(new OrderPlaced(Guid.NewGuid(), number, customer, "sales-li", [new OrderLine("BB-100M", "FTTH", 2, 99.5m)], 199m,
            null, DateTimeOffset.UtcNow));

        var sms = await Eventually.Get(() => Task.FromResult(f.Kannel.To(phone)), m => m.Count > 0, TimeSpan.FromSeconds(30), "SMS at the SMS centre");
        Assert.Equal($"您的订单{number}已受理，金额199.00元，我们将尽快处理。", Assert.Single(sms).Text);
        Assert.Equal(KannelGateway.ServiceNumber, sms[0].From);
        var delivered = await f.Host.WaitForNotifications(number, n => n.Any(x => x.State == NotificationState.Delivered), "delivery report");
        var notification = Assert.Single(delivered);
        Assert.Equal(NotificationChannel.Sms, notification.Channel);
        Assert.Equal(phone, notification.Recipient);
        Assert.False(string.IsNullOrEmpty(notification.ProviderReference), "the SMSC's message id from the report");
        Assert.StartsWith("kannel dlr 1", notification.ProviderStatus);
        Assert.NotNull(notification.DeliveredAt);
    }

    [Fact]
    public async Task Money_received_is_confirmed_to_the_customer_by_sms_with_the_amount_and_day()
    {
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var phone = NotificationsFixture.NewPhone();
        await f.Register($"customer:{customer}", new { name = "李雷", phone, language = "zh" });
        var number = NewOrderNumber();

        var receipt = new PaymentReceived(Guid.NewGuid(), Guid.NewGuid(), number, 300m, new DateOnly(2026, 3, 5), PaymentSources.Billing, customer,
            "sales-li", "ch_1", 300m);

        await f.Host.Publish(receipt);

        var sms = await Eventually.Get(() => Task.FromResult(f.Kannel.To(phone)), m => m.Count > 0, TimeSpan.FromSeconds(30), "receipt SMS");
        Assert.Equal($"我们已于2026-03-05收到您订单{number}的款项300.00元，感谢支持。", Assert.Single(sms).Text);
        var notification = (await f.Host.WaitForNotifications($"{number}/{receipt.ReceiptId:N}", n => n.Length > 0, "receipt recorded")).Single();
        Assert.Equal("payment-received", notification.Template);
        Assert.Equal(customer, notification.CustomerCode);
    }

    [Fact]
    public async Task Erp_refusing_the_completion_tells_the_owner_the_reason_by_email()
    {
        var owner = "sales-" + Guid.NewGuid().ToString("N")[..8];
        var email = $"{owner}@example.com";
        await f.Register($"user:{owner}", new { name = "Li Lei", email, language = "en" });
        var number = NewOrderNumber();

        var refused = new OrderCompletionRefused(Guid.NewGuid(), number, "C1001", owner, "customer account frozen in ERP", DateTimeOffset.UtcNow);

        await f.Host.Publish(refused);

        var mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count > 0, TimeSpan.FromSeconds(30), "refusal email");
        Assert.Equal($"ERP refused the completion of order {number}", Assert.Single(mail).Subject);
        Assert.Contains("customer account frozen in ERP", mail[0].Text);
        Assert.Contains("a manager resends the completion", mail[0].Text);
        var notification = (await f.Host.WaitForNotifications($"{number}/{refused.RefusedAt.UtcTicks}",
            n => n.Any(x => x.Channel == NotificationChannel.Email), "refusal recorded"))
            .Single(n => n.Channel == NotificationChannel.Email);
        Assert.Equal($"user:{owner}", notification.RecipientKey);
        Assert.Null(notification.CustomerCode);
    }
}
