using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>What a member of staff may do now: their roles' permissions and the ones delegated to them that are in force.</summary>
public static class StaffGrants
{
    /// <summary>The grants of <paramref name="user"/> at <paramref name="now"/> (<see cref="StaffAuthority.GrantsOfAsync"/>, the one rule every host applies).</summary>
    public static Task<List<PermissionGrant>> LoadAsync(HubDbContext db, StaffRoleCatalog catalog, MobileUser user, DateTimeOffset now, CancellationToken ct) =>
        StaffAuthority.GrantsOfAsync(db, catalog, new StaffMember { UserId = user.UserId, Office = user.Office, Region = user.Region, Suspended = user.Suspended },
            now, ct);
}

/// <summary>
/// The grants of each mobile user for a short bound (<c>Access:GrantCacheDuration</c>, 5 seconds by default; zero turns it off), so
/// a burst of calls from one phone does not read roles and delegations again on every call. Safe because: a delegation's expiry is
/// applied on every read (a grant past its <see cref="PermissionGrant.Until"/> is dropped from the cached set at once); any grant or
/// revocation of a role or a delegation made through this process forgets every entry at once; the user row (suspension, device,
/// office, region) is still read on every call and an entry is used only for the office and region it was made for. What the bound
/// allows: a change made by another instance of the hub (or directly in the store) reaches this one's callers within the bound.
/// </summary>
public sealed class StaffGrantsCache(StaffRoleCatalog catalog, Microsoft.Extensions.Options.IOptions<StaffRolesOptions> options, TimeProvider clock)
{
    private sealed record Entry(List<PermissionGrant> Grants, string Office, string Region, DateTimeOffset LoadedAt, long Generation);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>How long an entry is used.</summary>
    public TimeSpan Bound => options.Value.GrantCacheDuration;

    /// <summary>The grants of <paramref name="user"/> now: from an entry younger than <see cref="Bound"/>, else from the store.</summary>
    public async Task<IReadOnlyList<PermissionGrant>> GrantsOfAsync(HubDbContext db, MobileUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var generation = Interlocked.Read(ref _generation);
        if (Bound > TimeSpan.Zero && _entries.TryGetValue(user.UserId, out var entry) && entry.Generation == generation
            && entry.Office == user.Office && entry.Region == user.Region && now >= entry.LoadedAt && now - entry.LoadedAt < Bound)
            return entry.Grants.Where(g => g.Until is not { } until || until > now.UtcTicks).ToList();
        var grants = await StaffGrants.LoadAsync(db, catalog, user, now, ct);
        // Stamped with the generation read before loading: a change forgotten meanwhile makes this entry stale at once.
        if (Bound > TimeSpan.Zero)
            _entries[user.UserId] = new Entry(grants, user.Office, user.Region, now, generation);
        return grants;
    }

    /// <summary>Forgets every entry: a role or a delegation was granted or revoked (a delegator's change reaches their deputies too).</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
