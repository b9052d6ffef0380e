using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>Scope checks that need the other person's office and region from the store.</summary>
public static class StaffScope
{
    /// <summary>Whether <paramref name="caller"/>'s <paramref name="permission"/> reaches the records of member of staff <paramref name="userId"/>.</summary>
    public static async Task<bool> CoversAsync(MobileCaller caller, string permission, string userId, HubDbContext db, CancellationToken ct)
    {
        if (userId == caller.UserId || caller.ScopeOf(permission).All)
            return caller.May(permission, userId, null, null);
        var user = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, ct);
        return user is not null && caller.May(permission, user.UserId, user.Office, user.Region);
    }
}
