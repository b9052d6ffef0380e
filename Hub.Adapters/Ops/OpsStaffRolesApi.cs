using System.Security.Claims;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>
/// Operations admins grant and revoke the roles of operations users (held in <c>staff_role</c> with every other staff
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
        ops.MapPut("/staff/{name}/roles/{role}", async (string name, string role, HubDbContext db, StaffRoleCatalog catalog, OpsUserDirectory users,
            StaffGrantsCache grants, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (Check(name, role, catalog, users, user) is { } refused)
                return refused;
            var added = await StaffAuthority.GrantAsync(db, name, role, user.Identity!.Name!, clock.GetUtcNow(), ct);
            grants.Forget();
            return added
                ? Results.Created($"/ops/api/staff/{name}/roles", await StaffAuthority.RolesOfAsync(db, name, ct))
                : Results.Ok(await StaffAuthority.RolesOfAsync(db, name, ct));
        }).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapDelete("/staff/{name}/roles/{role}", async (string name, string role, HubDbContext db, StaffRoleCatalog catalog, OpsUserDirectory users,
            StaffGrantsCache grants, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (Check(name, role, catalog, users, user) is { } refused)
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

    /// <summary>Null when the signed-in admin may grant <paramref name="role"/> to operations user <paramref name="name"/>.</summary>
    private static IResult? Check(string name, string role, StaffRoleCatalog catalog, OpsUserDirectory users, ClaimsPrincipal user)
    {
        if (!catalog.Roles.ContainsKey(role))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role is one of {string.Join(", ", catalog.Roles.Keys.Order())}."] },
                title: "No such role.");
        if (!users.Configured.Any(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
            return Results.Problem(statusCode: 404, title: "No such operations user.", detail: $"{name} is not in Ops:Users.");
        var own = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray();
        if (!catalog.AnyCarries(own, StaffPermissions.RolesGrant))
            return StaffAccessApi.Forbidden("Your roles do not allow granting roles.", []);
        var beyond = catalog.Beyond(role, own.SelectMany(r => catalog.PermissionsOf(r)).Select(p => (p.Key, p.Value)));
        return beyond.Length > 0 ? StaffAccessApi.Forbidden($"Role {role} carries more than you hold.", beyond) : null;
    }
}
