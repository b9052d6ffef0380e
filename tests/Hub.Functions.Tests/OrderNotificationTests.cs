using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Tests.Support;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>Order events reach customers by email over a real SMTP server and by SMS through a real Kannel gateway.</summary>
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
}
