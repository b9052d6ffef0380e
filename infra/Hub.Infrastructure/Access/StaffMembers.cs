using Hub.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Infrastructure.Access;

/// <summary>What every host needs of a staff account: who, where, and whether it is enabled.</summary>
public sealed class StaffMember
{
    /// <summary>The account's name.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Their office (data scope <c>Office</c>).</summary>
    public string Office { get; set; } = "";
    /// <summary>Their region (data scope <c>Region</c>).</summary>
    public string Region { get; set; } = "";
    /// <summary>A disabled account is refused everywhere.</summary>
    public bool Suspended { get; set; }
}

/// <summary>
/// The staff accounts as any host reads them. The table (<c>mobile_user</c>) is the Adapters host's identity module's, which
/// keeps and migrates it; the other hosts (the notification functions) map none of it, so they read these columns by SQL, the
/// same on SQLite and PostgreSQL.
/// </summary>
public static class StaffMembers
{
    /// <summary>The account <paramref name="userId"/> (exact name), enabled or not; null when there is none.</summary>
    public static async Task<StaffMember?> FindAsync(HubDbContext db, string userId, CancellationToken ct) =>
        (await db.Database.SqlQuery<StaffMember>(
                $"SELECT \"UserId\", \"Office\", \"Region\", \"Suspended\" FROM mobile_user WHERE \"UserId\" = {userId}")
            .ToListAsync(ct)).FirstOrDefault();

    /// <summary>
    /// Checks on every request with the staff cookie, on every host, that its account is still enabled, so disabling an account
    /// ends its open sessions at once wherever they are used (the cookie itself stays valid until it expires).
    /// </summary>
    public static async Task RefuseDisabledAccounts(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity?.Name is not { } name)
            return;
        var db = context.HttpContext.RequestServices.GetRequiredService<HubDbContext>();
        if (await FindAsync(db, name, context.HttpContext.RequestAborted) is { Suspended: false })
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(HubAccess.StaffScheme);
    }

    /// <summary>
    /// Why <paramref name="userId"/> may not use <paramref name="permission"/> over records of <paramref name="ownerUserId"/> at
    /// <paramref name="now"/> (their roles' grants and the delegations to them in force), or null when they may.
    /// </summary>
    public static async Task<string?> WhyNotAsync(HubDbContext db, StaffRoleCatalog catalog, string userId, string permission, string ownerUserId,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await FindAsync(db, userId, ct) is not { Suspended: false } member)
            return $"{userId} is no longer an enabled member of staff";
        var owner = await FindAsync(db, ownerUserId, ct);
        var grants = await StaffAuthority.GrantsOfAsync(db, catalog, member, now, ct);
        return grants.Any(g => g.Permission == permission && g.Covers(ownerUserId, owner?.Office, owner?.Region))
            ? null
            : $"{userId} no longer holds {permission} over records of {ownerUserId} (a delegation expired or was revoked)";
    }
}
