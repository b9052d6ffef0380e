using Hub.Adapters.Mobile;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>
/// Staff accounts over the mobile API. With <c>staff.manage</c> (supervisors: their office; managers: their region) one
/// creates an account in one's scope with a role carrying nothing beyond one's own permissions, disables and enables an
/// account in scope, and resets the password of one in scope holding nothing beyond oneself. Anyone changes their own
/// password with the current one. Staff out of scope answer 404, as a missing name.
/// </summary>
public static class StaffAccountsApi
{
    /// <summary>Maps <c>POST /api/v1/staff</c>, <c>…/{userId}/disable</c>, <c>…/{userId}/enable</c>, <c>PUT …/{userId}/password</c>, <c>PUT …/me/password</c>.</summary>
    public static void MapStaffAccountsApi(this IEndpointRouteBuilder routes) =>
        routes.MapMobileResource("staff", "Staff accounts", g =>
        {
            g.MapPost("/", Create);
            g.MapPut("/me/password", ChangeOwnPassword);
            g.MapPost("/{userId}/disable", (string userId, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
                SetEnabled(userId, false, db, clock, http, ct));
            g.MapPost("/{userId}/enable", (string userId, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
                SetEnabled(userId, true, db, clock, http, ct));
            g.MapPut("/{userId}/password", ResetPassword);
        });

    private static async Task<IResult> Create(StaffAccountRequest request, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (!caller.May(StaffPermissions.StaffManage))
            return StaffAccessApi.Forbidden("Your roles do not allow managing staff accounts.", []);
        var errors = StaffAccounts.Problems(request, catalog);
        if (errors.Count == 0 && !caller.May(StaffPermissions.StaffManage, request.Name!, request.Office?.Trim() ?? "", request.Region?.Trim() ?? ""))
            errors["office"] = ["office and region are ones your staff.manage reaches."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The staff account is invalid.");
        var beyond = catalog.Beyond(request.Role!, caller.Grants.Select(g => (g.Permission, g.Scope)));
        if (beyond.Length > 0)
            return StaffAccessApi.Forbidden($"Role {request.Role} carries more than you hold.", beyond);
        var now = clock.GetUtcNow();
        if (!await StaffAccounts.CreateAsync(db, request, caller.UserId, now, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The name is taken.", detail: $"{request.Name} already has a staff account.");
        var created = (await StaffAccounts.FindAsync(db, request.Name!, ct))!;
        return TypedResults.Created($"/api/{MobileApi.Version}/staff/{created.UserId}/access", await StaffAccounts.ViewAsync(db, created, now, ct));
    }

    private static async Task<IResult> SetEnabled(string userId, bool enabled, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await ManagedAsync(caller, userId, db, ct) is not { } account)
            return NotFound(userId);
        if (!enabled && account.UserId == caller.UserId)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "You cannot disable your own account.");
        await StaffAccounts.SetEnabledAsync(db, account, enabled, caller.UserId, ct);
        return TypedResults.Ok(await StaffAccounts.ViewAsync(db, account, clock.GetUtcNow(), ct));
    }

    private static async Task<IResult> ResetPassword(string userId, PasswordResetRequest body, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await ManagedAsync(caller, userId, db, ct) is not { } account)
            return NotFound(userId);
        var errors = StaffAccounts.PasswordProblems(account.UserId, body.Password);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The password cannot be set so.");
        // Setting someone's password is taking their place: never of someone holding more than oneself.
        var held = caller.Grants.Select(g => (g.Permission, g.Scope)).ToArray();
        var beyond = (await StaffAuthority.RolesOfAsync(db, account.UserId, ct)).SelectMany(r => catalog.Beyond(r, held)).Distinct().ToArray();
        if (beyond.Length > 0)
            return StaffAccessApi.Forbidden($"{account.UserId} holds more than you do.", beyond);
        await StaffAccounts.SetPasswordAsync(db, account, body.Password!, caller.UserId, "password-reset", clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>PUT /api/v1/staff/me/password</c>: the caller's own password, proven by the current one; a wrong current password
    /// counts towards the lockout as a wrong sign-in does. 204.
    /// </summary>
    private static async Task<IResult> ChangeOwnPassword(PasswordChangeRequest body, HubDbContext db, IOptions<MobileIdentityOptions> options,
        SignInHistory history, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var errors = StaffAccounts.PasswordProblems(caller.UserId, body.NewPassword, "newPassword");
        if (string.IsNullOrEmpty(body.CurrentPassword) || body.CurrentPassword.Length > 256)
            errors["currentPassword"] = ["currentPassword is required."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The password cannot be changed so.");
        var account = await StaffAccounts.FindAsync(db, caller.UserId, ct);
        var now = clock.GetUtcNow();
        if (account is null || account.LockedUntilTicks > now.UtcTicks)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This account is locked after too many wrong passwords.");
        if (!PasswordDigest.Verify(body.CurrentPassword!, account.PasswordHash))
        {
            if (++account.FailedLogins >= options.Value.LockoutAfter)
            {
                account.FailedLogins = 0;
                account.LockedUntilTicks = (now + options.Value.LockoutDuration).UtcTicks;
            }
            await db.SaveChangesAsync(ct);
            await history.RecordAsync(http, SignInChannels.Mobile, caller.UserId, SignInOutcomes.Refused, "wrong current password (password change)", ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The current password is wrong.");
        }
        await StaffAccounts.SetPasswordAsync(db, account, body.NewPassword!, caller.UserId, "password-changed", now, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The account <paramref name="userId"/> when the caller's <c>staff.manage</c> reaches it.</summary>
    private static async Task<MobileUser?> ManagedAsync(MobileCaller caller, string userId, HubDbContext db, CancellationToken ct)
    {
        var account = await StaffAccounts.FindAsync(db, userId, ct);
        return account is not null && caller.May(StaffPermissions.StaffManage, account.UserId, account.Office, account.Region) ? account : null;
    }

    private static IResult NotFound(string userId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such member of staff.", detail: $"{userId} does not exist.");
}
