using System.Security.Claims;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>
/// Operations admins keep the staff accounts of the one store: list them, create one (its role under the same rule as a
/// grant: <c>roles.grant</c>, nothing beyond the admin's own roles), disable and enable one, reset a password (only of
/// an account whose roles carry nothing beyond the admin's, so nobody takes over more than they hold). Every change is
/// recorded in <c>hub_entity_change</c>; a password appears in no answer and no log.
/// </summary>
public static class OpsStaffAccountsApi
{
    /// <summary>Maps <c>/ops/api/staff</c> (GET, POST), <c>…/{name}/disable</c>, <c>…/{name}/enable</c>, <c>…/{name}/password</c>, for admins.</summary>
    public static void MapOpsStaffAccounts(this RouteGroupBuilder ops)
    {
        ops.MapGet("/staff", List).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/staff", Create).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/staff/{name}/disable", (string name, HubDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
            SetEnabled(name, false, db, clock, user, ct)).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/staff/{name}/enable", (string name, HubDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
            SetEnabled(name, true, db, clock, user, ct)).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPut("/staff/{name}/password", ResetPassword).RequireAuthorization(OpsRoles.CanAdminister);
    }

    /// <summary>Accounts by name (<c>q</c>: a name prefix), at most <c>limit</c>.</summary>
    private static async Task<IResult> List(HubDbContext db, TimeProvider clock, string? q, int? limit, CancellationToken ct)
    {
        if (q is { Length: > 64 })
            return Results.Problem(statusCode: 400, title: "Search terms are too long.");
        var query = db.Set<MobileUser>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
            query = query.Where(u => u.UserId.StartsWith(q));
        var users = await query.OrderBy(u => u.UserId).Take(Math.Clamp(limit ?? 200, 1, 1000)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var views = new List<StaffAccountView>(users.Count);
        foreach (var user in users)
            views.Add(await StaffAccounts.ViewAsync(db, user, now, ct));
        return Results.Ok(views);
    }

    private static async Task<IResult> Create(StaffAccountRequest request, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = StaffAccounts.Problems(request, catalog);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The staff account is invalid.");
        if (OpsStaffRolesApi.RoleRefusal(request.Role!, catalog, user) is { } refused)
            return refused;
        var now = clock.GetUtcNow();
        if (!await StaffAccounts.CreateAsync(db, request, user.Identity!.Name!, now, ct))
            return Results.Problem(statusCode: 409, title: "The name is taken.", detail: $"{request.Name} already has a staff account.");
        var created = (await StaffAccounts.FindAsync(db, request.Name!, ct))!;
        return Results.Created($"/ops/api/staff?q={Uri.EscapeDataString(created.UserId)}", await StaffAccounts.ViewAsync(db, created, now, ct));
    }

    private static async Task<IResult> SetEnabled(string name, bool enabled, HubDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var account = await StaffAccounts.FindAsync(db, name, ct);
        if (account is null)
            return Results.Problem(statusCode: 404, title: "No such member of staff.", detail: $"{name} has no staff account.");
        if (!enabled && string.Equals(name, user.Identity!.Name, StringComparison.OrdinalIgnoreCase))
            return Results.Problem(statusCode: 409, title: "You cannot disable your own account.", detail: "Another administrator can.");
        await StaffAccounts.SetEnabledAsync(db, account, enabled, user.Identity!.Name!, ct);
        return Results.Ok(await StaffAccounts.ViewAsync(db, account, clock.GetUtcNow(), ct));
    }

    private static async Task<IResult> ResetPassword(string name, PasswordResetRequest body, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var account = await StaffAccounts.FindAsync(db, name, ct);
        if (account is null)
            return Results.Problem(statusCode: 404, title: "No such member of staff.", detail: $"{name} has no staff account.");
        var errors = StaffAccounts.PasswordProblems(account.UserId, body.Password);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The password cannot be set so.");
        foreach (var role in await StaffAuthority.RolesOfAsync(db, account.UserId, ct))
            if (OpsStaffRolesApi.RoleRefusal(role, catalog, user) is { } refused)
                return refused;
        await StaffAccounts.SetPasswordAsync(db, account, body.Password!, user.Identity!.Name!, "password-reset", clock.GetUtcNow(), ct);
        return Results.NoContent();
    }
}
