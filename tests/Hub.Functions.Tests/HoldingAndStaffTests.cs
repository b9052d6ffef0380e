using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Contracts.ServiceTickets;
using Hub.Functions.Notifications;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>
/// Quiet hours hold non-urgent SMS until morning while alarms go at once; follow-up surveys wait their delay; staff
/// alarms escalate; a template that cannot be filled is recorded as failed and nothing is sent.
/// </summary>
[Collection("notifications")]
public sealed class HoldingAndStaffTests(NotificationsFixture f)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task Non_urgent_sms_in_quiet_hours_waits_for_morning_while_an_alarm_goes_at_once()
    {
        var zone = f.Host.Zone;
        f.Host.Clock.AdvanceToNext(new TimeOnly(22, 30), zone);
        var customer = Unique("C-");
        var customerPhone = NotificationsFixture.NewPhone();
        var ownerPhone = NotificationsFixture.NewPhone();
        var owner = Unique("sales-");
        await f.Register($"customer:{customer}", new { name = "赵敏", phone = customerPhone });
        await f.Register($"user:{owner}", new { name = "Owner", phone = ownerPhone, language = "en" });
        var number = Unique("SO-");

        await f.Host.Publish(new OrderPlaced(Guid.NewGuid(), number, customer, owner, [new OrderLine("BB-100M", null, 1, 99m)], 99m, null,
            DateTimeOffset.UtcNow));
        await f.Host.Publish(new OrderDeadlineExceeded(Guid.NewGuid(), number, owner, "Fulfilling", f.Host.Clock.GetUtcNow()));

        var alarm = await Eventually.Get(() => Task.FromResult(f.Kannel.To(ownerPhone)), m => m.Count > 0, TimeSpan.FromSeconds(30), "alarm SMS");
        Assert.StartsWith($"Deadline alarm: order {number} (Fulfilling) is overdue.", alarm[0].Text);
        var morning = TimeZoneInfo.ConvertTimeToUtc(f.Host.Clock.Today(zone).AddDays(1).ToDateTime(new TimeOnly(8, 0)), zone);
        var held = await f.Host.WaitForNotifications(number, n => n.Any(x => x.Template == "order-accepted" && x.NotBefore != null), "SMS held");
        Assert.Equal(morning, held.Single(x => x.Template == "order-accepted").NotBefore);
        Assert.Empty(f.Kannel.To(customerPhone));

        f.Host.Clock.AdvanceToNext(new TimeOnly(8, 0, 30), zone);
        var sms = await Eventually.Get(() => Task.FromResult(f.Kannel.To(customerPhone)), m => m.Count > 0, TimeSpan.FromSeconds(30),
            "held SMS released in the morning");
        Assert.StartsWith($"您的订单{number}已受理", Assert.Single(sms).Text);
    }

    [Fact]
    public async Task A_second_deadline_alarm_for_an_order_escalates_to_the_owners_manager()
    {
        var owner = Unique("sales-");
        var manager = Unique("manager-");
        var ownerEmail = $"{owner.ToLowerInvariant()}@example.com";
        var managerEmail = $"{manager.ToLowerInvariant()}@example.com";
        await f.Register($"user:{manager}", new { name = "经理", email = managerEmail });
        await f.Register($"user:{owner}", new { name = "销售小李", email = ownerEmail, escalateTo = $"user:{manager}" });
        var number = Unique("SO-");
        var orderId = Guid.NewGuid();

        await f.Host.Publish(new OrderDeadlineExceeded(orderId, number, owner, "Fulfilling", DateTimeOffset.UtcNow));
        await Eventually.Get(() => Task.FromResult(f.Smtp.To(ownerEmail)), m => m.Count == 1, TimeSpan.FromSeconds(30), "first alarm");
        Assert.Empty(f.Smtp.To(managerEmail));

        await f.Host.Publish(new OrderDeadlineExceeded(orderId, number, owner, "Compensating", DateTimeOffset.UtcNow.AddMinutes(5)));
        var escalation = await Eventually.Get(() => Task.FromResult(f.Smtp.To(managerEmail)), m => m.Count == 1, TimeSpan.FromSeconds(30), "escalation");
        Assert.Equal($"时限升级：订单 {number}", escalation[0].Subject);
        Assert.Contains($"销售小李 负责的订单 {number} 处于“补偿中”状态，已第 2 次超时", escalation[0].Text);
        await Eventually.Get(() => Task.FromResult(f.Smtp.To(ownerEmail)), m => m.Count == 2, TimeSpan.FromSeconds(30), "second alarm to the owner");
    }

    [Fact]
    public async Task The_follow_up_survey_goes_out_a_day_after_the_ticket_is_completed()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        var contact = Guid.NewGuid();
        var email = $"contact-{contact:N}@example.com";
        await f.Register($"contact:{contact}", new { name = "Ann Lee", email, language = "en", customerCode = "C7" });
        var ticket = Unique("ST-");
        var completedAt = f.Host.Clock.GetUtcNow();

        await f.Host.Publish(new ServiceTicketCompleted(Guid.NewGuid(), ticket, "C7", contact, completedAt, "https://crm.example.com/survey/1"));
        var done = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count == 1, TimeSpan.FromSeconds(30), "completion email");
        Assert.Equal($"Service request {ticket} completed", done[0].Subject);
        var survey = (await f.Host.Notifications(ticket)).Single(n => n.Template == "follow-up-survey");
        Assert.Equal(NotificationState.Queued, survey.State);
        Assert.Equal((completedAt + TimeSpan.FromDays(1)).UtcDateTime, survey.NotBefore);
        Assert.Equal("C7", survey.CustomerCode);

        f.Host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var mails = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count == 2, TimeSpan.FromSeconds(30), "survey email");
        Assert.Equal($"How did we do on {ticket}?", mails[1].Subject);
        Assert.Contains("<a href=\"https://crm.example.com/survey/1\">", mails[1].Html);
    }

    [Fact]
    public async Task A_template_that_cannot_be_filled_is_recorded_failed_and_nothing_is_sent()
    {
        var dealer = Unique("D");
        var manager = Unique("am-");
        await f.Register($"dealer:{dealer}", new { name = "华东经销", email = $"{dealer.ToLowerInvariant()}@example.com" });
        await f.Register($"user:{manager}", new { name = "AM", email = $"{manager.ToLowerInvariant()}@example.com" });

        await f.Host.Publish(new DealerFellBehindTarget(dealer, "华东经销", "2026-03", "Bogus", 100m, 40m, manager, DateTimeOffset.UtcNow));

        var failed = await f.Host.WaitForNotifications($"{dealer}/2026-03/Bogus", n => n.Length == 2, "both recorded");
        Assert.All(failed, n =>
        {
            Assert.Equal(NotificationState.Failed, n.State);
            Assert.Contains("'metric' has no term for 'Bogus'", n.Error);
            Assert.Null(n.Body);
        });
        await f.Host.Publish(new DealerFellBehindTarget(dealer, "华东经销", "2026-04", "Units", 100m, 40m, manager, DateTimeOffset.UtcNow));
        await Eventually.Get(() => Task.FromResult(f.Smtp.To($"{dealer.ToLowerInvariant()}@example.com")), m => m.Count == 1, TimeSpan.FromSeconds(30),
            "the next month's good notice");
        Assert.Equal("2026-04 月度目标进度提醒", f.Smtp.To($"{dealer.ToLowerInvariant()}@example.com").Single().Subject);
    }

    [Fact]
    public async Task A_td_reply_from_the_phone_opts_the_number_out_and_later_sms_are_not_sent()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        var customer = Unique("C-");
        var phone = NotificationsFixture.NewPhone();
        await f.Register($"customer:{customer}", new { name = "钱多多", phone });

        await f.Kannel.SendFromPhone(phone, "TD");
        var reply = await Eventually.Get(() => Task.FromResult(f.Kannel.To(phone)), m => m.Count > 0, TimeSpan.FromSeconds(30), "reply SMS");
        Assert.Equal("您已退订短信通知。", reply[0].Text);
        using var http = f.Host.Http();
        var registered = await Eventually.Get(() => http.GetStringAsync($"/api/notifications/recipients/customer:{customer}"),
            r => r.Contains("\"smsOptOut\":true"), TimeSpan.FromSeconds(10), "opted out");

        var number = Unique("SO-");
        await f.Host.Publish(new OrderPlaced(Guid.NewGuid(), number, customer, "sales-li", [new OrderLine("X", null, 1, 1m)], 1m, null, DateTimeOffset.UtcNow));
        var id = Guid.NewGuid();
        await f.Host.Publish(new OrderCompleted(Guid.NewGuid(), number, customer, "sales-li", "E", "C", 1m, null, DateTimeOffset.UtcNow), id);
        await f.Host.WaitUntilConsumed(id);
        Assert.Empty(await f.Host.Notifications(number));
        Assert.Single(f.Kannel.To(phone));
    }

    private static ServiceTicketDeadlineExceeded Missed(Guid id, string number, string owner, string? engineer, string state, DateTimeOffset at) =>
        new(id, number, owner, "office-wuhan", engineer, state, at, at);

    [Fact]
    public async Task Field_deadline_alarms_the_engineer_and_a_second_one_escalates_to_the_supervisor()
    {
        var engineer = Unique("eng-");
        var supervisor = Unique("sup-");
        var engineerEmail = $"{engineer.ToLowerInvariant()}@example.com";
        var supervisorEmail = $"{supervisor.ToLowerInvariant()}@example.com";
        var ownerEmail = $"owner-{Guid.NewGuid():N}@example.com";
        var owner = Unique("rep-");
        await f.Register($"user:{supervisor}", new { name = "吴主管", email = supervisorEmail });
        await f.Register($"user:{engineer}", new { name = "张工", email = engineerEmail, escalateTo = $"user:{supervisor}" });
        await f.Register($"user:{owner}", new { name = "Rep", email = ownerEmail, language = "en" });
        var number = Unique("ST");
        var id = Guid.NewGuid();

        await f.Host.Publish(Missed(id, number, owner, engineer, "Assigned", DateTimeOffset.UtcNow));
        var first = await Eventually.Get(() => Task.FromResult(f.Smtp.To(engineerEmail)), m => m.Count == 1, TimeSpan.FromSeconds(30), "first alarm");
        Assert.Equal($"时限告警：服务单 {number}", first[0].Subject);
        Assert.Contains("已派工待接单", first[0].Text);
        Assert.Empty(f.Smtp.To(supervisorEmail));
        Assert.Empty(f.Smtp.To(ownerEmail));

        await f.Host.Publish(Missed(id, number, owner, engineer, "Accepted", DateTimeOffset.UtcNow.AddHours(2)));
        var escalation = await Eventually.Get(() => Task.FromResult(f.Smtp.To(supervisorEmail)), m => m.Count == 1, TimeSpan.FromSeconds(30), "escalation");
        Assert.Equal($"时限升级：服务单 {number}", escalation[0].Subject);
        Assert.Contains($"张工 负责的服务单 {number} 处于“已接单维修中”状态，已第 2 次超时", escalation[0].Text);
    }

    [Fact]
    public async Task Deadline_before_dispatch_alarms_the_representative_who_took_the_ticket()
    {
        var owner = Unique("rep-");
        var ownerEmail = $"{owner.ToLowerInvariant()}@example.com";
        await f.Register($"user:{owner}", new { name = "Rep Li", email = ownerEmail, language = "en" });
        var number = Unique("ST");

        await f.Host.Publish(Missed(Guid.NewGuid(), number, owner, null, "AwaitingReview", DateTimeOffset.UtcNow));

        var alarm = await Eventually.Get(() => Task.FromResult(f.Smtp.To(ownerEmail)), m => m.Count == 1, TimeSpan.FromSeconds(30), "alarm to the representative");
        Assert.Equal($"Deadline alarm: service request {number}", alarm[0].Subject);
        Assert.Contains("while awaiting technical review", alarm[0].Text);
    }
}
