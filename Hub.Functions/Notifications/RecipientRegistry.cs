using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

/// <summary>Queries over the recipient registry that several steps of the pipeline share.</summary>
public static class RecipientRegistry
{
    /// <summary>
    /// Which of <paramref name="addresses"/> some recipient opted out of on that channel: an opt-out follows the
    /// address, so an event that carries the address itself (an order's contact email) honours it too.
    /// </summary>
    public static async Task<HashSet<(string Channel, string Address)>> OptedOutAddresses(HubDbContext db,
        IEnumerable<(string Channel, string Address)> addresses, CancellationToken ct)
    {
        var list = addresses.Distinct().ToArray();
        var emails = list.Where(a => a.Channel == NotificationChannel.Email).Select(a => a.Address).ToArray();
        var phones = list.Where(a => a.Channel == NotificationChannel.Sms).Select(a => a.Address).ToArray();
        var result = new HashSet<(string, string)>();
        if (emails.Length > 0)
            foreach (var email in await db.Set<NotificationRecipient>().AsNoTracking()
                         .Where(r => r.EmailOptOut && emails.Contains(r.Email!)).Select(r => r.Email!).ToListAsync(ct))
                result.Add((NotificationChannel.Email, email));
        if (phones.Length > 0)
            foreach (var phone in await db.Set<NotificationRecipient>().AsNoTracking()
                         .Where(r => r.SmsOptOut && phones.Contains(r.Phone!)).Select(r => r.Phone!).ToListAsync(ct))
                result.Add((NotificationChannel.Sms, phone));
        return result;
    }
}
