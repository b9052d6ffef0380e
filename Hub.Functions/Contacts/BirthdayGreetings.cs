using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Contacts;

/// <summary>
/// Every morning at 09:30 (company time), a birthday greeting to the customers and contacts whose birthday it is
/// (003 §3.1.3 客户关怀); 29 February birthdays are greeted on 28 February in other years. Care messages carry the
/// unsubscribe footer; one per person and year.
/// </summary>
[TimerTrigger("30 9 * * *")]
public sealed class BirthdayGreetings(HubDbContext db, Notifier notifier, TimeProvider clock, IOptions<FunctionsOptions> functions) : ITimerFunction
{
    public async Task Run(TimerInfo timer, FunctionContext context)
    {
        var today = functions.Value.Today(clock);
        var leapDayToo = today is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(today.Year);
        var celebrating = await db.Set<NotificationRecipient>().AsNoTracking()
            .Where(r => r.BirthMonth == today.Month && (r.BirthDay == today.Day || (leapDayToo && r.BirthDay == 29)))
            .Where(r => r.Key.StartsWith("customer:") || r.Key.StartsWith("contact:"))
            .Select(r => new { r.Key, r.CustomerCode })
            .ToListAsync(context.CancellationToken);
        foreach (var batch in celebrating.Chunk(200))
            await notifier.NotifyAsync(batch.Select(r => new NotificationRequest("birthday-greeting", $"{r.Key}/{today.Year}", r.Key,
                new Dictionary<string, object?>()) { CustomerCode = r.CustomerCode, Marketing = true }).ToArray(), context);
    }
}
