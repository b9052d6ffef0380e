using Crm.Contracts.Customers;
using Hub.Functions.Hosting;
using Hub.Functions.Payments;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

/// <summary>
/// The notification functions follow a customer merge (<see cref="CustomersMerged"/>): the notifications sent about the duplicate show on
/// the survivor's timeline and name the survivor as recipient (<c>customer:</c> and <c>dealer:</c> keys), registry entries of the duplicate's
/// contacts point at the survivor, payment reminders go out under the survivor's code, and the duplicate's own registry entry becomes the
/// survivor's when the survivor has none (otherwise the survivor's own details stand, and the duplicate's are left as they were).
/// A repeated or late delivery finds nothing under the duplicate and changes nothing.
/// </summary>
[BusTrigger(typeof(CustomersMerged))]
public sealed class NotificationsFollowMerge(HubDbContext db) : IFunction<CustomersMerged>
{
    public async Task Run(CustomersMerged message, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var (from, to) = (message.DuplicateCode, message.SurvivorCode);
        await db.Set<Notification>().Where(n => n.CustomerCode == from).ExecuteUpdateAsync(s => s.SetProperty(n => n.CustomerCode, to), ct);
        foreach (var (before, after) in Keys(from, to))
            await db.Set<Notification>().Where(n => n.RecipientKey == before).ExecuteUpdateAsync(s => s.SetProperty(n => n.RecipientKey, after), ct);
        await db.Set<NotificationRecipient>().Where(r => r.CustomerCode == from).ExecuteUpdateAsync(s => s.SetProperty(r => r.CustomerCode, to), ct);
        await db.Set<PaymentInstalmentRow>().Where(i => i.CustomerCode == from).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerCode, to), ct);

        foreach (var (before, after) in Keys(from, to))
        {
            var entry = await db.Set<NotificationRecipient>().FirstOrDefaultAsync(r => r.Key == before, ct);
            if (entry is null || await db.Set<NotificationRecipient>().AnyAsync(r => r.Key == after, ct))
                continue;
            // The key is the row's identity: the entry is written again under the survivor's key.
            db.Remove(entry);
            db.Add(new NotificationRecipient
            {
                Key = after, Name = entry.Name, Email = entry.Email, Phone = entry.Phone, Language = entry.Language, CustomerCode = to,
                BirthMonth = entry.BirthMonth, BirthDay = entry.BirthDay, QuietFrom = entry.QuietFrom, QuietUntil = entry.QuietUntil,
                EmailOptOut = entry.EmailOptOut, SmsOptOut = entry.SmsOptOut, Tags = entry.Tags, EscalateTo = entry.EscalateTo,
                UnsubscribeToken = entry.UnsubscribeToken, UpdatedAt = message.At,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private static (string Before, string After)[] Keys(string from, string to) =>
        [(RecipientKeys.Customer(from), RecipientKeys.Customer(to)), (RecipientKeys.Dealer(from), RecipientKeys.Dealer(to))];
}
