using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Functions.Payments;
using Hub.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Tests;

/// <summary>
/// The payment reminder timer (09:00 every day) on a clock the test moves: a reminder N days before each due date,
/// once; none for what is paid; one overdue notice for what is still open after the due date.
/// </summary>
[Collection("notifications")]
public sealed class PaymentReminderTests(NotificationsFixture f)
{
    private async Task NextMorningRun()
    {
        var ran = f.Host.Clock.AdvanceToNext(new TimeOnly(9, 0, 5), f.Host.Zone).UtcDateTime.AddSeconds(-5);
        await Eventually.Get(() => f.Host.Query(db => db.Set<FunctionTimer>().AsNoTracking().SingleAsync(t => t.Name == nameof(PaymentDueReminders))),
            t => t.LastOccurrence == ran, TimeSpan.FromSeconds(30), $"payment reminders for {ran:o}");
    }

    private async Task<string[]> Reminders(string number) =>
        (await f.Host.Query(db => db.Set<Notification>().AsNoTracking().Where(n => n.Subject.StartsWith(number + "/")).ToArrayAsync()))
        .OrderBy(n => n.RecordedAt).Select(n => $"{n.Template} {n.Subject[(number.Length + 1)..]} {n.Channel}").ToArray();

    [Fact]
    public async Task Reminders_go_out_days_before_each_due_date_once_never_for_paid_instalments_and_once_when_overdue()
    {
        var zone = f.Host.Zone;
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), zone);
        var today = f.Host.Clock.Today(zone);
        var customer = "C-" + Guid.NewGuid().ToString("N")[..8];
        var email = $"{customer.ToLowerInvariant()}@example.com";
        await f.Register($"customer:{customer}", new { name = "Acme Trading", email, language = "en" });
        var number = "SO-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var orderId = Guid.NewGuid();
        var planMessage = Guid.NewGuid();
        // Reminders go 3 days ahead (Notifications:PaymentReminderDaysBefore).
        await f.Host.Publish(new PaymentPlanAgreed(orderId, number, customer, "CNY",
            [new PaymentInstalment(1, today.AddDays(5), 300m), new PaymentInstalment(2, today.AddDays(7), 200m)], f.Host.Clock.GetUtcNow()), planMessage);
        await f.Host.WaitUntilConsumed(planMessage);

        await NextMorningRun(); // today+1: nothing falls due within 3 days
        Assert.Empty(await Reminders(number));

        await NextMorningRun(); // today+2: instalment 1 (today+5) is 3 days away
        // Redelivered or not, its reminder is there once; only email: the customer has no phone.
        Assert.Equal(["payment-due 1 email"], await Reminders(number));
        var mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count == 1, TimeSpan.FromSeconds(30), "reminder email");
        Assert.Equal($"Order {number}: instalment 1 due {today.AddDays(5):yyyy-MM-dd}", mail[0].Subject);
        Assert.Contains("300.00", mail[0].Text);

        var receipt = Guid.NewGuid();
        await f.Host.Publish(new PaymentReceived(Guid.NewGuid(), orderId, number, 350m, today.AddDays(2)), receipt);
        await f.Host.WaitUntilConsumed(receipt);

        await NextMorningRun(); // today+3: nothing new, nothing again
        Assert.Equal(["payment-due 1 email"], await Reminders(number));
        await NextMorningRun(); // today+4: instalment 2 (today+7) is 3 days away; 50 of it is paid already
        Assert.Equal(["payment-due 1 email", "payment-due 2 email"], await Reminders(number));
        mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count == 2, TimeSpan.FromSeconds(30), "second reminder");
        Assert.Contains("150.00", mail[1].Text);

        for (var day = 5; day <= 8; day++)
            await NextMorningRun(); // instalment 1 is paid; instalment 2 falls due at today+7 and stays open
        Assert.Equal(["payment-due 1 email", "payment-due 2 email", "payment-overdue 2 email"], await Reminders(number));
        mail = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count == 3, TimeSpan.FromSeconds(30), "overdue notice");
        Assert.Equal($"Order {number}: instalment 2 is overdue", mail[2].Subject);
    }
}
