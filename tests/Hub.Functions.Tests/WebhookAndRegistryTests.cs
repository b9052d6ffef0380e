using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Orders;
using Hub.Functions.Notifications;
using Hub.Functions.Sms;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>Outside input: Kannel's delivery reports and the recipient registry refuse what is wrong and change nothing.</summary>
[Collection("notifications")]
public sealed class WebhookAndRegistryTests(NotificationsFixture f)
{
    private static string Dlr(Guid id, string status, string? sig = null) =>
        $"/webhooks/sms/kannel/dlr?id={id:N}&sig={sig ?? KannelSmsGateway.Sign(NotificationsFixture.DlrSecret, id)}&status={status}&answer=ok&smsc-id=X1&at=0";

    [Fact]
    public async Task Delivery_reports_are_validated_and_a_repeat_or_a_late_report_changes_nothing()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        using var http = f.Host.Http();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/webhooks/sms/kannel/dlr?id=nope&status=1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(Dlr(Guid.NewGuid(), "3"))).StatusCode);
        var unknown = await http.GetAsync(Dlr(Guid.NewGuid(), "1"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var phone = NotificationsFixture.NewPhone();
        await f.Register($"customer:{customer}", new { name = "周周", phone });
        var number = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await f.Host.Publish(new OrderPlaced(Guid.NewGuid(), number, customer, "sales-li", [new OrderLine("X", null, 1, 5m)], 5m, null, DateTimeOffset.UtcNow));
        var delivered = (await f.Host.WaitForNotifications(number, n => n.Any(x => x.State == NotificationState.Delivered), "delivered")).Single();

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(Dlr(delivered.Id, "2", sig: new string('0', 32)))).StatusCode);
        var repeat = await http.GetFromJsonAsync<JsonElement>(Dlr(delivered.Id, "1"));
        Assert.Equal("delivered", repeat.GetProperty("state").GetString());
        var late = await http.GetFromJsonAsync<JsonElement>(Dlr(delivered.Id, "16"));
        Assert.Equal("delivered", late.GetProperty("state").GetString());
        var after = (await f.Host.Notifications(number)).Single();
        Assert.Equal(delivered.DeliveredAt, after.DeliveredAt);
        Assert.Equal(delivered.ProviderReference, after.ProviderReference);
        Assert.Null(after.Error);
    }

    [Fact]
    public async Task The_customer_timeline_and_the_operations_view_list_the_notifications_newest_first()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var email = $"{customer.ToLowerInvariant()}@example.com";
        await f.Register($"customer:{customer}", new { name = "Timeline", email, phone = NotificationsFixture.NewPhone(), language = "en" });
        var first = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await f.Host.Publish(new OrderCompleted(Guid.NewGuid(), first, customer, "sales-li", "E", "C", 5m, null, DateTimeOffset.UtcNow));
        await f.Host.WaitForNotifications(first, n => n.Length == 2, "first order's notifications");
        f.Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await f.Host.Publish(new OrderPlaced(Guid.NewGuid(), second, customer, "sales-li", [new OrderLine("X", null, 1, 5m)], 5m, null, DateTimeOffset.UtcNow));
        await f.Host.WaitForNotifications(second, n => n.Length == 1, "second order's notification");
        using var http = f.Host.Http();

        var timeline = (await http.GetFromJsonAsync<JsonElement[]>($"/api/notifications?customerCode={customer}"))!;
        Assert.Equal([second, first, first], timeline.Select(n => n.GetProperty("subject").GetString()));
        Assert.Equal("Your order " + first + " is complete; amount 5.00. Thank you.",
            timeline.Single(n => n.GetProperty("channel").GetString() == "sms" && n.GetProperty("subject").GetString() == first).GetProperty("body").GetString());
        var sms = await http.GetFromJsonAsync<JsonElement[]>($"/api/notifications?customerCode={customer}&channel=sms&limit=1");
        Assert.Equal(second, Assert.Single(sms!).GetProperty("subject").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/notifications?state=lost")).StatusCode);
        var failed = await http.GetFromJsonAsync<JsonElement[]>("/api/notifications?state=failed&limit=1000");
        Assert.All(failed!, n => Assert.Equal("failed", n.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task A_recipient_with_bad_details_is_refused_field_by_field_and_nothing_is_stored()
    {
        using var http = f.Host.Http();
        var response = await http.PutAsJsonAsync("/api/notifications/recipients/customer:BAD-1", new
        {
            name = "",
            email = "not-an-address",
            phone = "12",
            language = "fr",
            birthday = "2999-01-01",
            quietFrom = "25:00",
            tags = new[] { "a;b" },
            escalateTo = "customer:BAD-1",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "email", "phone", "language", "birthday", "quietFrom", "tags", "escalateTo" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} is reported");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/notifications/recipients/customer:BAD-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync("/api/notifications/recipients/robot:R1", new { name = "R" })).StatusCode);
    }

    [Fact]
    public async Task A_registered_recipient_reads_back_normalised_and_a_sync_does_not_undo_an_opt_out()
    {
        using var http = f.Host.Http();
        var key = "contact:" + Guid.NewGuid();
        var created = await http.PutAsJsonAsync($"/api/notifications/recipients/{key}", new
        {
            name = "Mei", email = " Mei@Example.COM ", phone = "+86 139-1234-5678", language = "en", customerCode = "C9",
            birthday = "1990-02-28", quietFrom = "22:00", quietUntil = "07:30", tags = new[] { "vip" }, smsOptOut = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The CRM syncs the contact again without saying anything about opt-outs.
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/api/notifications/recipients/{key}", new
        {
            name = "Mei Lin", email = "mei@example.com", phone = "13912345678", language = "en", customerCode = "C9",
        })).StatusCode);
        var stored = await http.GetFromJsonAsync<JsonElement>($"/api/notifications/recipients/{key}");
        Assert.Equal("Mei Lin", stored.GetProperty("name").GetString());
        Assert.Equal("mei@example.com", stored.GetProperty("email").GetString());
        Assert.Equal("13912345678", stored.GetProperty("phone").GetString());
        Assert.True(stored.GetProperty("smsOptOut").GetBoolean());
        Assert.False(stored.TryGetProperty("unsubscribeToken", out _));
    }
}
