using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>
/// Who is asked to decide on something waiting for approval (003 §4.4.2 委托授权: a manager's approvals go to a deputy while they
/// travel): every member of staff who may use <c>permission</c> now, by a role of theirs or by a delegation in force, and whom the
/// decision rule allows. The manager is still asked as well; a deputy stops being asked the moment the delegation expires or is
/// revoked (the delegations are read when the request is made, and the push is checked again when it is recorded).
/// </summary>
public static class Approvers
{
    /// <summary>
    /// The active staff who may decide on something of <paramref name="region"/> (and <paramref name="office"/>, when it has one):
    /// holders of a role carrying <paramref name="permission"/> who can reach it (of that region or office, or holding it for all
    /// records) and the deputies those holders lent it to (in force at <paramref name="now"/>), each kept when
    /// <paramref name="mayDecide"/> allows them with their grants in force (their roles' and their delegations'), ordered by user id.
    /// </summary>
    public static async Task<List<MobileUser>> WhoMayAsync(HubDbContext db, StaffRoleCatalog catalog, string permission, string region, string? office,
        Func<MobileCaller, bool> mayDecide, DateTimeOffset now, CancellationToken ct)
    {
        var roles = catalog.Roles.Where(r => r.Value.Permissions.ContainsKey(permission)).Select(r => r.Key).ToArray();
        var everywhere = catalog.Roles.Where(r => r.Value.Permissions.TryGetValue(permission, out var scope) && scope == DataScope.All).Select(r => r.Key).ToArray();
        // Only holders who can reach the record are read further (a region's or office's staff, or an All scope): the rule decides below.
        var holders = await (from a in db.Set<StaffRoleAssignment>().AsNoTracking()
                             join u in db.Set<MobileUser>().AsNoTracking() on a.StaffId equals u.UserId
                             where roles.Contains(a.Role) && (everywhere.Contains(a.Role) || u.Region == region || (office != null && u.Office == office))
                             select a.StaffId).Distinct().ToListAsync(ct);
        var ticks = now.UtcTicks;
        var lent = await db.Set<StaffDelegation>().AsNoTracking()
            .Where(d => holders.Contains(d.DelegatorId) && d.RevokedAtTicks == null && (d.UntilTicks == null || d.UntilTicks > ticks))
            .ToListAsync(ct);
        var candidates = holders.Concat(lent.Where(d => d.PermissionList.Contains(permission)).Select(d => d.DeputyId)).Distinct().ToArray();
        var users = await db.Set<MobileUser>().AsNoTracking().Where(u => candidates.Contains(u.UserId) && !u.Suspended).OrderBy(u => u.UserId).ToListAsync(ct);
        var allowed = new List<MobileUser>();
        foreach (var user in users)
        {
            // The same grants a request of theirs would carry, so the one decision rule answers for the notice as for the action.
            var grants = await StaffGrants.LoadAsync(db, catalog, user, now, ct);
            if (mayDecide(new MobileCaller(user.UserId, user.Role, user.Office, user.Region, "") { Grants = grants }))
                allowed.Add(user);
        }
        return allowed;
    }
}
