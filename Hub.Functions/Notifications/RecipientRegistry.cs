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
        var keys = db.RequiredColumnKeys;
        var list = addresses.Distinct().ToArray();
        // Addresses are sealed at rest: they are found by their blind indexes (under every index key held, for an index-key
        // switch in progress), and the hashes found map back to the addresses asked.
        var emails = list.Where(a => a.Channel == NotificationChannel.Email)
            .SelectMany(a => keys.BlindIndexes(RecipientKeys.EmailIndexKey(a.Address)).Select(index => (Index: index, a.Address)))
            .ToLookup(a => a.Index, a => a.Address);
        var phones = list.Where(a => a.Channel == NotificationChannel.Sms)
            .SelectMany(a => keys.BlindIndexes(RecipientKeys.PhoneIndexKey(a.Address)).Select(index => (Index: index, a.Address)))
            .ToLookup(a => a.Index, a => a.Address);
        var emailIndexes = emails.Select(g => g.Key).Where(k => k.Length > 0).ToArray();
        var phoneIndexes = phones.Select(g => g.Key).Where(k => k.Length > 0).ToArray();
        var result = new HashSet<(string, string)>();
        if (emailIndexes.Length > 0)
            foreach (var index in await db.Set<NotificationRecipient>().AsNoTracking()
                         .Where(r => r.EmailOptOut && emailIndexes.Contains(r.EmailIndex)).Select(r => r.EmailIndex).ToListAsync(ct))
            foreach (var email in emails[index])
                result.Add((NotificationChannel.Email, email));
        if (phoneIndexes.Length > 0)
            foreach (var index in await db.Set<NotificationRecipient>().AsNoTracking()
                         .Where(r => r.SmsOptOut && phoneIndexes.Contains(r.PhoneIndex)).Select(r => r.PhoneIndex).ToListAsync(ct))
            foreach (var phone in phones[index])
                result.Add((NotificationChannel.Sms, phone));
        return result;
    }
}
