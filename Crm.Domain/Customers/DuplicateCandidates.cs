namespace Crm.Domain.Customers;

/// <summary>Why two customers look like the same party.</summary>
[Flags]
public enum DuplicateReason
{
    /// <summary>No match.</summary>
    None = 0,
    /// <summary>The names are the same once normalised (<see cref="CustomerName.Normalise"/>).</summary>
    SameName = 1,
    /// <summary>The phones are the same once normalised (<see cref="PhoneNumber.Normalise"/>).</summary>
    SamePhone = 2,
}

/// <summary>Two customers that may be one, for a person to confirm before merging.</summary>
/// <param name="FirstId">The customer registered earlier (the natural survivor).</param>
/// <param name="SecondId">The customer registered later.</param>
/// <param name="Reason">What matched.</param>
public sealed record DuplicateCandidate(Guid FirstId, Guid SecondId, DuplicateReason Reason);

/// <summary>
/// Duplicate detection (003 §3.1.1 客户重复的检查): customers whose normalised names or phones
/// match. Retired (merged) customers are left out. Pure: the caller loads the customers.
/// </summary>
public static class DuplicateCandidates
{
    /// <summary>Every pair among <paramref name="customers"/> that matches, earlier-registered first in each pair.</summary>
    public static IReadOnlyList<DuplicateCandidate> Among(IEnumerable<Customer> customers)
    {
        var active = customers.Where(c => !c.IsRetired).DistinctBy(c => c.Id)
            .OrderBy(c => c.RegisteredAt).ThenBy(c => c.Id).ToArray();
        var reasons = new Dictionary<(Guid, Guid), DuplicateReason>();
        Pair(active, c => c.NameKey, DuplicateReason.SameName, reasons);
        // From the phone itself rather than PhoneKey: a stored customer's PhoneKey reads back as its blind index, and two
        // rows indexed under different index keys (during a key rotation) would not compare equal.
        Pair(active, c => PhoneNumber.Normalise(c.Phone), DuplicateReason.SamePhone, reasons);
        var rank = active.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return reasons
            .OrderBy(r => rank[r.Key.Item1]).ThenBy(r => rank[r.Key.Item2])
            .Select(r => new DuplicateCandidate(r.Key.Item1, r.Key.Item2, r.Value))
            .ToArray();
    }

    /// <summary>The existing customers that <paramref name="probe"/> (for example one about to be registered) may duplicate.</summary>
    public static IReadOnlyList<DuplicateCandidate> Of(Customer probe, IEnumerable<Customer> existing) =>
        Among(existing.Where(c => c.Id != probe.Id).Append(probe))
            .Where(d => d.FirstId == probe.Id || d.SecondId == probe.Id)
            .ToArray();

    private static void Pair(Customer[] customers, Func<Customer, string> key, DuplicateReason reason, Dictionary<(Guid, Guid), DuplicateReason> reasons)
    {
        foreach (var group in customers.Where(c => key(c).Length > 0).GroupBy(key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            for (var i = 0; i < members.Length; i++)
                for (var j = i + 1; j < members.Length; j++)
                {
                    var pair = (members[i].Id, members[j].Id);
                    reasons[pair] = reasons.GetValueOrDefault(pair) | reason;
                }
        }
    }
}

/// <summary>Who the call centre's screen pop shows for a caller number (002 §5.2: 弹屏).</summary>
/// <param name="CallerKey">The normalised caller number, or <c>null</c> when withheld.</param>
/// <param name="CustomerIds">Customers whose own phone matches, then customers of contacts whose phone matches; empty means "new customer".</param>
/// <param name="ContactIds">Contacts whose phone matches.</param>
public sealed record ScreenPopMatch(string? CallerKey, IReadOnlyList<Guid> CustomerIds, IReadOnlyList<Guid> ContactIds);

/// <summary>Finds the customer behind an incoming call by its normalised number.</summary>
public static class ScreenPop
{
    /// <summary>Matches <paramref name="callerNumber"/> against customers' and contacts' phones; retired customers are left out.</summary>
    public static ScreenPopMatch Find(string? callerNumber, IEnumerable<Customer> customers, IEnumerable<Contact> contacts)
    {
        var key = PhoneNumber.CallerKey(callerNumber);
        if (key is null)
            return new ScreenPopMatch(null, [], []);
        var active = customers.Where(c => !c.IsRetired).ToArray();
        var matchingContacts = contacts.Where(c => c.PhoneKeys().Contains(key, StringComparer.Ordinal)).ToArray();
        var activeIds = active.Select(c => c.Id).ToHashSet();
        var customerIds = active.Where(c => c.PhoneKey == key).Select(c => c.Id)
            .Concat(matchingContacts.Select(c => c.CustomerId).Where(activeIds.Contains))
            .Distinct()
            .ToArray();
        return new ScreenPopMatch(key, customerIds, matchingContacts.Select(c => c.Id).ToArray());
    }
}
