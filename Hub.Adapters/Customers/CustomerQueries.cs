using Crm.Domain.Customers;
using Hub.Adapters.Identity;
using Hub.CrmStore;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Customers;

/// <summary>Reads of customers and contacts straight from the store, within the caller's data scope.</summary>
public static class CustomerQueries
{
    /// <summary>Most customers a screen pop shows.</summary>
    public const int ScreenPopLimit = 10;

    /// <summary>
    /// The customers <paramref name="caller"/> may <paramref name="permission"/> (003 数据范围授权), filtered in the query
    /// itself: those owned by the grant's anchor (a salesperson's own), by staff of its office (a supervisor's) or region
    /// (a manager's), or all; a deputy's delegated grants reach from the delegator.
    /// </summary>
    public static IQueryable<Customer> Visible(HubDbContext db, MobileCaller caller, string permission = StaffPermissions.CustomersRead)
    {
        var customers = db.Set<Customer>().AsNoTracking();
        var scope = caller.ScopeOf(permission);
        if (scope.All)
            return customers;
        var (users, offices, regions) = (scope.Users, scope.Offices, scope.Regions);
        var staff = db.Set<MobileUser>().AsNoTracking();
        return offices.Length == 0 && regions.Length == 0
            ? customers.Where(c => users.Contains(c.OwnerSalespersonId))
            : customers.Where(c => users.Contains(c.OwnerSalespersonId)
                || staff.Any(u => u.UserId == c.OwnerSalespersonId && (offices.Contains(u.Office) || regions.Contains(u.Region))));
    }

    /// <summary>Every stored customer: the scope of whoever answers the phone for the whole company (the benchmark).</summary>
    public static IQueryable<Customer> All(HubDbContext db) => db.Set<Customer>().AsNoTracking();

    /// <summary>Customers whose name key starts with <paramref name="keyPrefix"/>, as an index range on both stores.</summary>
    public static IQueryable<Customer> NameKeyStartsWith(this IQueryable<Customer> customers, string keyPrefix)
    {
        // A range [prefix, prefix with its last character raised) walks the name-key index on SQLite (BINARY) and on
        // PostgreSQL (the column is in the "C" collation), where LIKE would need a case-sensitive pattern index.
        var last = keyPrefix[^1];
        if (char.IsSurrogate(last) || last == char.MaxValue)
            return customers.Where(c => c.NameKey.StartsWith(keyPrefix));
        var above = keyPrefix[..^1] + (char)(last + 1);
        return customers.Where(c => string.Compare(c.NameKey, keyPrefix) >= 0 && string.Compare(c.NameKey, above) < 0);
    }

    /// <summary>
    /// Screen pop by caller number: active customers whose own phone matches, then those of contacts whose phone
    /// matches, with those contacts. A withheld or too short number finds nobody.
    /// </summary>
    public static async Task<ScreenPopView> ScreenPopByCallerAsync(HubDbContext db, IQueryable<Customer> visible, string? callerNumber, MobileCaller user,
        CancellationToken ct)
    {
        var key = PhoneNumber.CallerKey(callerNumber);
        if (key is null)
            return new ScreenPopView(null, null, [], []);
        // Every index the number may be stored under: rows indexed before the active index key changed are found too.
        var indexes = db.RequiredColumnKeys.BlindIndexes(key);
        var contacts = await db.Set<Contact>().AsNoTracking()
            .SelectMany(c => c.Phones.Where(p => indexes.Contains(EF.Property<string>(p, "PhoneKey"))), (c, _) => c)
            .Where(c => visible.Any(v => v.Id == c.CustomerId && v.MergedIntoId == null))
            .Select(c => new Versioned<Contact>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .Take(ScreenPopLimit).ToListAsync(ct);
        var viaContacts = contacts.Select(c => c.Entity.CustomerId).Distinct().ToArray();
        var customers = await visible
            .Where(c => c.MergedIntoId == null && (indexes.Contains(c.PhoneKey) || viaContacts.Contains(c.Id)))
            .Select(c => new Versioned<Customer>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .Take(ScreenPopLimit).ToListAsync(ct);
        // The customer's own number first: it is the likelier caller than one of its contacts. (The stored PhoneKey is
        // its blind index; the phone itself reads back decrypted.)
        var ordered = customers.OrderBy(c => PhoneNumber.Normalise(c.Entity.Phone) == key ? 0 : 1).ThenBy(c => c.Entity.Code, StringComparer.Ordinal);
        return new ScreenPopView(key, null, ordered.Select(c => CustomerView.Of(c.Entity, c.Version, user)).ToArray(),
            contacts.DistinctBy(c => c.Entity.Id).Select(c => ContactView.Of(c.Entity, c.Version)).ToArray());
    }

    /// <summary>Screen pop by the name typed so far: active customers whose name key starts with it, in key order.</summary>
    public static async Task<ScreenPopView> ScreenPopByNameAsync(IQueryable<Customer> visible, string? typed, MobileCaller user, CancellationToken ct)
    {
        var prefix = CustomerName.NormalisePrefix(typed);
        if (prefix.Length == 0)
            return new ScreenPopView(null, prefix, [], []);
        var customers = await visible.NameKeyStartsWith(prefix).Where(c => c.MergedIntoId == null)
            .OrderBy(c => c.NameKey).ThenBy(c => c.Code)
            .Select(c => new Versioned<Customer>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .Take(ScreenPopLimit).ToListAsync(ct);
        return new ScreenPopView(null, prefix, customers.Select(c => CustomerView.Of(c.Entity, c.Version, user)).ToArray(), []);
    }

    /// <summary>One visible customer with its version, or null.</summary>
    internal static Task<Versioned<Customer>?> FindAsync(IQueryable<Customer> visible, Guid customerId, CancellationToken ct) =>
        visible.Where(c => c.Id == customerId)
            .Select(c => new Versioned<Customer>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .FirstOrDefaultAsync(ct);

    /// <summary>One contact of a visible customer with its version, or null.</summary>
    internal static Task<Versioned<Contact>?> FindContactAsync(HubDbContext db, IQueryable<Customer> visible, Guid contactId, CancellationToken ct) =>
        db.Set<Contact>().AsNoTracking()
            .Where(c => c.Id == contactId && visible.Any(v => v.Id == c.CustomerId))
            .Select(c => new Versioned<Contact>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .FirstOrDefaultAsync(ct);
}
