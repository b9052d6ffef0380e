using System.Security.Claims;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>
/// Operations admins grant and revoke the roles of staff accounts (held in <c>staff_role</c> with every other staff
/// role, each change recorded): with <c>roles.grant</c>, never a role carrying more than their own roles do. A new role
/// applies from the user's next sign-in.
/// </summary>
public static class OpsStaffRolesApi
{
    /// <summary>Maps <c>/ops/api/staff/{name}/roles</c> (GET) and <c>/ops/api/staff/{name}/roles/{role}</c> (PUT, DELETE), for admins.</summary>
    public static void MapOpsStaffRoles(this RouteGroupBuilder ops)
    {
        ops.MapGet("/staff/{name}/roles", async (string name, HubDbContext db, CancellationToken ct) =>
            Results.Ok(await StaffAuthority.RolesOfAsync(db, name, ct))).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPut("/staff/{name}/roles/{role}", async (string name, string role, HubDbContext db, StaffRoleCatalog catalog, StaffGrantsCache grants,
            TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (await CheckAsync(name, role, catalog, db, user, ct) is { } refused)
                return refused;
            var added = await StaffAuthority.GrantAsync(db, name, role, user.Identity!.Name!, clock.GetUtcNow(), ct);
            grants.Forget();
            return added
                ? Results.Created($"/ops/api/staff/{name}/roles", await StaffAuthority.RolesOfAsync(db, name, ct))
                : Results.Ok(await StaffAuthority.RolesOfAsync(db, name, ct));
        }).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapDelete("/staff/{name}/roles/{role}", async (string name, string role, HubDbContext db, StaffRoleCatalog catalog, StaffGrantsCache grants,
            ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (await CheckAsync(name, role, catalog, db, user, ct) is { } refused)
                return refused;
            var held = await db.Set<StaffRoleAssignment>().FirstOrDefaultAsync(a => a.StaffId == name && a.Role == role, ct);
            if (held is null)
                return Results.Problem(statusCode: 404, title: "No such role.", detail: $"{name} does not hold {role}.");
            db.Remove(held);
            await db.SaveChangesAsync(ct);
            grants.Forget();
            return Results.NoContent();
        }).RequireAuthorization(OpsRoles.CanAdminister);
    }

    /// <summary>Null when the signed-in admin may grant <paramref name="role"/> to the staff account <paramref name="name"/>.</summary>
    private static async Task<IResult?> CheckAsync(string name, string role, StaffRoleCatalog catalog, HubDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!catalog.Roles.ContainsKey(role))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role is one of {string.Join(", ", catalog.Roles.Keys.Order())}."] },
                title: "No such role.");
        if (!await db.Set<MobileUser>().AnyAsync(u => u.UserId == name, ct))
            return Results.Problem(statusCode: 404, title: "No such member of staff.", detail: $"{name} has no staff account.");
        return RoleRefusal(role, catalog, user);
    }

    /// <summary>Null when the signed-in admin's roles allow granting <paramref name="role"/> (<c>roles.grant</c>, nothing beyond their own roles).</summary>
    internal static IResult? RoleRefusal(string role, StaffRoleCatalog catalog, ClaimsPrincipal user)
    {
        var own = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray();
        if (!catalog.AnyCarries(own, StaffPermissions.RolesGrant))
            return StaffAccessApi.Forbidden("Your roles do not allow granting roles.", []);
        var beyond = catalog.Beyond(role, own.SelectMany(r => catalog.PermissionsOf(r)).Select(p => (p.Key, p.Value)));
        return beyond.Length > 0 ? StaffAccessApi.Forbidden($"Role {role} carries more than you hold.", beyond) : null;
    }
}
