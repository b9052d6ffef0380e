using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>An event that arrives again, redelivered or republished, never texts or mails the customer twice.</summary>
[Collection("notifications")]
public sealed class RedeliveryTests(NotificationsFixture f)
{
    [Fact]
    public async Task The_same_order_completion_redelivered_and_republished_sends_one_email_and_one_sms()
    {
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var phone = NotificationsFixture.NewPhone();
        var email = $"{customer.ToLowerInvariant()}@example.com";
        await f.Register($"customer:{customer}", new { name = "王芳", email, phone, language = "zh" });
        var number = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var completed = new OrderCompleted(Guid.NewGuid(), number, customer, "sales-li", "ERP-9", "CH-9", 88m, email, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await f.Host.Publish(completed, messageId);
        await Eventually.Get(() => Task.FromResult(f.Kannel.To(phone).Count + f.Smtp.To(email).Count), n => n == 2, TimeSpan.FromSeconds(30),
            "first email and SMS");
        // The transport delivers the same message again, and the saga's outbox republishes the event under a new id.
        await f.Host.Publish(completed, messageId);
        var republished = Guid.NewGuid();
        await f.Host.Publish(completed, republished);
        await f.Host.WaitUntilConsumed(messageId, receives: 2);
        await f.Host.WaitUntilConsumed(republished);
        await f.Host.WaitForNotifications(number, n => n.Length == 2 && n.All(x => x.State == NotificationState.Delivered || x.Channel == "email"),
            "SMS delivered");

        Assert.Single(f.Smtp.To(email));
        Assert.Single(f.Kannel.To(phone));
        var notifications = await f.Host.Notifications(number);
        Assert.Equal(["email", "sms"], notifications.Select(n => n.Channel).Order());
        Assert.All(notifications, n => Assert.Equal(messageId, n.SourceMessageId));
    }
}
