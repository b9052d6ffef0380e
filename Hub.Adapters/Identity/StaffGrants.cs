using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>What a member of staff may do now: their roles' permissions and the ones delegated to them that are in force.</summary>
public static class StaffGrants
{
    /// <summary>
    /// The grants of <paramref name="user"/> at <paramref name="now"/>: each permission of each role they hold, reaching
    /// from themself; each permission delegated to them (not expired, not revoked, still held by the delegator through a
    /// role of theirs), reaching from the delegator with the delegator's widest scope of it.
    /// </summary>
    public static async Task<List<PermissionGrant>> LoadAsync(HubDbContext db, StaffRoleCatalog catalog, MobileUser user, DateTimeOffset now,
        CancellationToken ct)
    {
        var grants = Own(catalog, await StaffAuthority.RolesOfAsync(db, user.UserId, ct), user).ToList();
        var delegations = await StaffAuthority.ActiveDelegationsToAsync(db, user.UserId, now, ct);
        if (delegations.Count == 0)
            return grants;
        var delegatorIds = delegations.Select(d => d.DelegatorId).Distinct().ToArray();
        var delegators = await db.Set<MobileUser>().AsNoTracking().Where(u => delegatorIds.Contains(u.UserId) && !u.Suspended).ToListAsync(ct);
        var roles = await db.Set<StaffRoleAssignment>().AsNoTracking().Where(a => delegatorIds.Contains(a.StaffId)).ToListAsync(ct);
        foreach (var delegator in delegators)
        {
            // Only what the delegator holds by their own roles is lent: a deputy cannot pass on what was lent to them.
            var held = Own(catalog, roles.Where(r => r.StaffId == delegator.UserId).Select(r => r.Role), delegator).ToList();
            foreach (var delegation in delegations.Where(d => d.DelegatorId == delegator.UserId))
                grants.AddRange(held.Where(g => delegation.PermissionList.Contains(g.Permission))
                    .Select(g => g with { DelegatedBy = delegator.UserId, Until = delegation.UntilTicks }));
        }
        return grants;
    }

    /// <summary>The widest scope <paramref name="roles"/> give each permission, reaching from <paramref name="user"/>.</summary>
    public static IEnumerable<PermissionGrant> Own(StaffRoleCatalog catalog, IEnumerable<string> roles, MobileUser user) =>
        roles.SelectMany(r => catalog.PermissionsOf(r))
            .GroupBy(p => p.Key, p => p.Value)
            .Select(g => new PermissionGrant(g.Key, g.Max(), user.UserId, user.Office, user.Region));
}
