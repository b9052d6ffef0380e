using Crm.Domain.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Payments;

/// <summary>
/// Every morning at 09:00 (company time), reminds customers of instalments falling due in
/// <c>Notifications:PaymentReminderDaysBefore</c> days (003 §3.4.2 收款计划，提前提醒), and tells them once when an
/// instalment is overdue and still open. The plan and receipts are the order's (kept from the order's
/// <c>PaymentPlanAgreed</c> and <c>PaymentReceived</c>), and which instalments are open is the order's own rule
/// (<see cref="PaymentPlan.RemindersDue"/>, as <see cref="Order.PaymentRemindersDue"/>: receipts pay the earliest first).
/// Each reminder is sent once per instalment, however often the timer runs.
/// </summary>
[TimerTrigger("0 9 * * *")]
public sealed class PaymentDueReminders(HubDbContext db, Notifier notifier, TimeProvider clock, IOptions<NotificationsOptions> options,
    IOptions<FunctionsOptions> functions) : ITimerFunction
{
    public async Task Run(TimerInfo timer, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var daysBefore = options.Value.PaymentReminderDaysBefore;
        var today = functions.Value.Today(clock);
        var horizon = today.AddDays(daysBefore);
        var orders = await db.Set<PaymentInstalmentRow>().AsNoTracking().Where(i => i.DueOn <= horizon).Select(i => i.OrderId).Distinct().ToListAsync(ct);
        foreach (var chunk in orders.Chunk(200))
        {
            var instalments = (await db.Set<PaymentInstalmentRow>().AsNoTracking().Where(i => chunk.Contains(i.OrderId)).ToListAsync(ct))
                .GroupBy(i => i.OrderId);
            var received = (await db.Set<PaymentReceiptRow>().AsNoTracking().Where(r => chunk.Contains(r.OrderId)).ToListAsync(ct))
                .GroupBy(r => r.OrderId).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
            var requests = new List<NotificationRequest>();
            foreach (var plan in instalments)
            {
                var first = plan.First();
                var reminders = PaymentPlan.RemindersDue(plan.Select(i => new Instalment(i.Sequence, i.DueOn, i.Amount)).OrderBy(i => i.Sequence).ToArray(),
                    received.GetValueOrDefault(plan.Key), today, daysBefore);
                requests.AddRange(reminders.Select(r => new NotificationRequest(r.Overdue ? "payment-overdue" : "payment-due",
                    $"{first.OrderNumber}/{r.Instalment.Sequence}", RecipientKeys.Customer(first.CustomerCode), new Dictionary<string, object?>
                    {
                        ["orderNumber"] = first.OrderNumber,
                        ["sequence"] = r.Instalment.Sequence,
                        ["amount"] = r.Outstanding,
                        ["currency"] = first.Currency,
                        ["dueOn"] = r.Instalment.DueOn,
                    })
                {
                    CustomerCode = first.CustomerCode,
                }));
            }
            await notifier.NotifyAsync(requests, context);
        }
    }
}
