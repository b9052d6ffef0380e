using Hub.Adapters.Customers;
using Hub.Adapters.Mobile;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>A role as the apps see it.</summary>
public sealed record RoleView(string Role, string Description, IReadOnlyDictionary<string, DataScope> Permissions);

/// <summary>A delegation as the apps see it; <c>State</c> is <c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
public sealed record DelegationView(Guid Id, string DelegatorId, string DeputyId, string[] Permissions, DateTime CreatedAt, DateTime? Until,
    DateTime? RevokedAt, string? Reason, string State);

/// <summary>What a member of staff holds: roles, delegations given and received, the permissions in force, and the recorded changes.</summary>
public sealed record StaffAccessView(string UserId, string[] Roles, PermissionGrant[] Grants, DelegationView[] Delegations, ChangeView[] Changes);

/// <summary>Body of <c>POST /api/v1/delegations</c>.</summary>
public sealed record DelegationRequest(string? DeputyUserId, string[]? Permissions, DateTimeOffset? Until, string? Reason);

/// <summary>
/// Granting roles and delegating permissions (003 §4.4.5 授权与执行权分离, 委托授权). Holding a permission lets one use
/// it; granting a role takes <c>roles.grant</c> reaching the grantee, and every permission of the role held at least as
/// widely by the granter (nobody grants more than they hold). A delegation lends some of one's own permissions to a
/// deputy of one's office or region, who uses them with the delegator's scope until it expires or is revoked. Every
/// grant, revocation and delegation is a recorded change (<c>hub_entity_change</c>: who, when, before and after).
/// </summary>
public static class StaffAccessApi
{
    /// <summary>Maps <c>/api/v1/staff</c> and <c>/api/v1/delegations</c>.</summary>
    public static void MapStaffAccessApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMobileResource("staff", "Staff access", g =>
        {
            g.MapGet("/roles", (StaffRoleCatalog catalog) =>
                TypedResults.Ok(catalog.Roles.OrderBy(r => r.Key).Select(r => new RoleView(r.Key, r.Value.Description, r.Value.Permissions)).ToArray()));
            g.MapGet("/{userId}/access", Access);
            g.MapPut("/{userId}/roles/{role}", Grant);
            g.MapDelete("/{userId}/roles/{role}", Revoke);
        });
        routes.MapStaffAccountsApi();
        routes.MapMobileResource("delegations", "Staff access", g =>
        {
            g.MapGet("/", Delegations);
            g.MapPost("/", Delegate);
            g.MapDelete("/{delegationId:guid}", EndDelegation);
        });
    }

    /// <summary>The caller's own access, or that of staff their <c>roles.grant</c> reaches; 404 for anyone else.</summary>
    private static async Task<IResult> Access(string userId, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var user = await GranteeAsync(caller, userId, db, ct);
        if (user is null && userId != caller.UserId)
            return NotFound("member of staff", userId);
        var roles = await StaffAuthority.RolesOfAsync(db, userId, ct);
        var grants = userId == caller.UserId ? caller.Grants.ToArray()
            : user is null ? [] : (await StaffGrants.LoadAsync(db, http.RequestServices.GetRequiredService<StaffRoleCatalog>(), user, clock.GetUtcNow(), ct)).ToArray();
        var delegations = await db.Set<StaffDelegation>().AsNoTracking().Where(d => d.DelegatorId == userId || d.DeputyId == userId).ToListAsync(ct);
        var delegationKeys = delegations.Select(d => d.Id.ToString()).ToArray();
        var prefix = userId + "|";
        var changes = await db.Set<EntityChange>().AsNoTracking()
            .Where(c => (c.EntityType == nameof(StaffRoleAssignment) && c.EntityKey.StartsWith(prefix))
                || (c.EntityType == nameof(StaffDelegation) && delegationKeys.Contains(c.EntityKey)))
            .OrderBy(c => c.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcTicks;
        return TypedResults.Ok(new StaffAccessView(userId, [.. roles], grants,
            delegations.OrderByDescending(d => d.CreatedAt).Select(d => View(d, now)).ToArray(), changes.Select(c => ChangeView.Of(c)).ToArray()));
    }

    /// <summary><c>PUT /api/v1/staff/{userId}/roles/{role}</c>: 201 when granted, 200 when already held.</summary>
    private static async Task<IResult> Grant(string userId, string role, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await CheckGrantRight(caller, userId, role, db, catalog, ct) is { } refused)
            return refused;
        var added = await StaffAuthority.GrantAsync(db, userId, role, caller.UserId, clock.GetUtcNow(), ct);
        http.RequestServices.GetRequiredService<StaffGrantsCache>().Forget();
        var roles = await StaffAuthority.RolesOfAsync(db, userId, ct);
        return added ? TypedResults.Created($"/api/{MobileApi.Version}/staff/{userId}/access", roles) : TypedResults.Ok(roles);
    }

    /// <summary><c>DELETE /api/v1/staff/{userId}/roles/{role}</c>: the same right as granting it; 204, or 404 when not held.</summary>
    private static async Task<IResult> Revoke(string userId, string role, HubDbContext db, StaffRoleCatalog catalog, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await CheckGrantRight(caller, userId, role, db, catalog, ct) is { } refused)
            return refused;
        var held = await db.Set<StaffRoleAssignment>().FirstOrDefaultAsync(a => a.StaffId == userId && a.Role == role, ct);
        if (held is null)
            return NotFound("role", $"{role} of {userId}");
        db.Remove(held);
        await db.SaveChangesAsync(ct);
        http.RequestServices.GetRequiredService<StaffGrantsCache>().Forget();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Null when <paramref name="caller"/> may grant (or revoke) <paramref name="role"/> to <paramref name="userId"/>:
    /// 422 for an unknown role, 403 without <c>roles.grant</c>, 404 for staff it does not reach (not disclosed), 403
    /// when the role carries a permission the caller does not hold as widely.
    /// </summary>
    private static async Task<IResult?> CheckGrantRight(MobileCaller caller, string userId, string role, HubDbContext db, StaffRoleCatalog catalog,
        CancellationToken ct)
    {
        if (!catalog.Roles.ContainsKey(role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role is one of {string.Join(", ", catalog.Roles.Keys.Order())}."] },
                title: "No such role.");
        if (!caller.May(StaffPermissions.RolesGrant))
            return Forbidden("Your roles do not allow granting roles.", []);
        if (await GranteeAsync(caller, userId, db, ct) is null)
            return NotFound("member of staff", userId);
        var beyond = catalog.Beyond(role, caller.Grants.Select(g => (g.Permission, g.Scope)));
        return beyond.Length > 0 ? Forbidden($"Role {role} carries more than you hold.", beyond) : null;
    }

    /// <summary>The member of staff <paramref name="userId"/> when the caller's <c>roles.grant</c> reaches them.</summary>
    private static async Task<MobileUser?> GranteeAsync(MobileCaller caller, string userId, HubDbContext db, CancellationToken ct)
    {
        var user = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, ct);
        return user is not null && caller.May(StaffPermissions.RolesGrant, user.UserId, user.Office, user.Region) ? user : null;
    }

    /// <summary>Delegations the caller gave or received, newest first, each with its state now.</summary>
    private static async Task<IResult> Delegations(HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var rows = await db.Set<StaffDelegation>().AsNoTracking().Where(d => d.DelegatorId == caller.UserId || d.DeputyId == caller.UserId)
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcTicks;
        return TypedResults.Ok(rows.OrderByDescending(d => d.CreatedAt).Select(d => View(d, now)).ToArray());
    }

    /// <summary><c>POST /api/v1/delegations</c>: lends permissions the caller holds by their own roles to a deputy of their office or region.</summary>
    private static async Task<IResult> Delegate(DelegationRequest request, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var deputyId = request.DeputyUserId?.Trim() ?? "";
        var deputy = deputyId.Length is > 0 and <= 64
            ? await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == deputyId && !u.Suspended, ct)
            : null;
        // Down the hierarchy: the deputy is one of the delegator's office or region.
        if (deputy is null || deputy.UserId == caller.UserId
            || !((caller.Office.Length > 0 && deputy.Office == caller.Office) || (caller.Region.Length > 0 && deputy.Region == caller.Region)))
            errors["deputyUserId"] = ["deputyUserId names another active member of staff of your office or region."];
        var permissions = (request.Permissions ?? []).Select(p => p?.Trim() ?? "").Distinct().ToArray();
        // Only what one holds by one's own roles: what was lent to one is not lent on.
        var own = caller.Grants.Where(g => g.DelegatedBy is null).Select(g => g.Permission).ToHashSet();
        if (permissions.Length == 0 || permissions.Any(p => !StaffPermissions.All.Contains(p)))
            errors["permissions"] = [$"permissions lists one or more of {string.Join(", ", StaffPermissions.All.Order())}."];
        else if (permissions.Where(p => !own.Contains(p)).ToArray() is { Length: > 0 } notHeld)
            errors["permissions"] = [$"You do not hold {string.Join(", ", notHeld)} by a role of yours."];
        if (request.Until is { } until && until <= now)
            errors["until"] = ["until is a moment in the future (or left out: until revoked)."];
        if (request.Reason?.Length > 500)
            errors["reason"] = ["reason has at most 500 characters."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The delegation is invalid.");
        var delegation = new StaffDelegation
        {
            Id = IdempotencyFilter.IdFor("staff-delegation", $"{caller.UserId}\n{http.Request.Headers[IdempotencyFilter.Header]}"),
            DelegatorId = caller.UserId,
            DeputyId = deputy!.UserId,
            Permissions = string.Join(' ', permissions),
            CreatedAt = now.UtcDateTime,
            UntilTicks = request.Until?.UtcTicks,
            Reason = request.Reason,
        };
        db.Add(delegation);
        await db.SaveChangesAsync(ct);
        http.RequestServices.GetRequiredService<StaffGrantsCache>().Forget();
        return TypedResults.Created($"/api/{MobileApi.Version}/delegations/{delegation.Id}", View(delegation, now.UtcTicks));
    }

    /// <summary><c>DELETE /api/v1/delegations/{id}</c>: the delegator ends it at once (kept on record as revoked).</summary>
    private static async Task<IResult> EndDelegation(Guid delegationId, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var delegation = await db.Set<StaffDelegation>().FirstOrDefaultAsync(d => d.Id == delegationId && d.DelegatorId == caller.UserId, ct);
        if (delegation is null)
            return NotFound("delegation", delegationId.ToString());
        if (delegation.RevokedAtTicks is null)
        {
            delegation.RevokedAtTicks = clock.GetUtcNow().UtcTicks;
            await db.SaveChangesAsync(ct);
            http.RequestServices.GetRequiredService<StaffGrantsCache>().Forget();
        }
        return TypedResults.NoContent();
    }

    private static DelegationView View(StaffDelegation d, long nowTicks) => new(d.Id, d.DelegatorId, d.DeputyId, d.PermissionList,
        DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc),
        d.UntilTicks is { } until ? new DateTime(until, DateTimeKind.Utc) : null,
        d.RevokedAtTicks is { } revoked ? new DateTime(revoked, DateTimeKind.Utc) : null,
        d.Reason, d.RevokedAtTicks is not null ? "revoked" : d.IsActive(nowTicks) ? "active" : "expired");

    private static IResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"{id} does not exist.");

    /// <summary>A 403 problem; <paramref name="beyond"/> lists what a role carries beyond the granter's permissions.</summary>
    internal static IResult Forbidden(string title, string[] beyond) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title,
        extensions: beyond.Length > 0 ? new Dictionary<string, object?> { ["beyond"] = beyond } : null);
}
