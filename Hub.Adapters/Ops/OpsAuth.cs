using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Ops;

/// <summary>Sign-in to the operations view: the staff cookie of <see cref="HubAccess"/>, one per operations user.</summary>
public static class OpsAuth
{
    /// <summary>Body of <c>POST /ops/api/session</c>.</summary>
    public sealed record SignIn(string? Username, string? Password);

    /// <summary>Maps <c>/ops/api/session</c>: sign in (POST), who am I (GET), sign out (DELETE).</summary>
    public static void MapOpsSession(this IEndpointRouteBuilder routes)
    {
        var session = routes.MapGroup("/ops/api/session").WithTags("Operations");
        session.MapPost("", async (SignIn body, SignInHistory history, IOptions<OpsSignInOptions> options, HubDbContext db, StaffRoleCatalog catalog,
            HttpContext http, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Username) || string.IsNullOrEmpty(body.Password) || body.Username.Length > 64 || body.Password.Length > 256)
                return Results.Problem(statusCode: 400, title: "Username and password are required.");
            var name = body.Username.Trim();
            var lockout = options.Value;
            if (await history.LockedUntilAsync(SignInChannels.Ops, name, lockout.Attempts, lockout.Duration, ct) is { } until)
            {
                await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.Locked, null, ct);
                return Results.Problem(statusCode: 403, title: "This account is locked after too many wrong passwords.", detail: $"Try again after {until:u}.");
            }
            // The one staff account store; names are matched ignoring case, as the operations users of configuration always were.
            var lower = name.ToLowerInvariant();
            var account = await db.Set<MobileUser>().AsNoTracking().Where(u => u.UserId.ToLower() == lower).OrderBy(u => u.UserId).FirstOrDefaultAsync(ct);
            if (!PasswordDigest.Verify(body.Password, account?.PasswordHash ?? DummyDigest) || account is null)
            {
                await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.Refused, "wrong username or password", ct);
                return Results.Problem(statusCode: 401, title: "Wrong username or password.");
            }
            // Told only to whoever knows the password, so the answer does not reveal which accounts exist.
            if (account.Suspended)
            {
                await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.Refused, "disabled", ct);
                return Results.Problem(statusCode: 403, title: "This account is disabled.");
            }
            name = account.UserId;
            var roles = await StaffAuthority.RolesOfAsync(db, name, ct);
            // A cookie that opens nothing is not handed out: the operations view is for staff whose roles carry ops.read.
            if (!catalog.AnyCarries(roles, StaffPermissions.OpsRead))
            {
                await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.Refused, "no operations role", ct);
                return Results.Problem(statusCode: 403, title: "This account has no access to the operations view.");
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], HubAccess.StaffScheme);
            await http.SignInAsync(HubAccess.StaffScheme, new ClaimsPrincipal(identity));
            await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.SignedIn, string.Join(' ', roles), ct);
            return Results.Ok(new { name, role = roles.FirstOrDefault(), roles });
        });
        session.MapPut("/password", ChangeOwnPassword).RequireAuthorization(OpsRoles.SignedIn);
        session.MapGet("", (ClaimsPrincipal user) => Results.Ok(new { name = user.Identity!.Name, role = user.FindFirstValue(ClaimTypes.Role) }))
            .RequireAuthorization(OpsRoles.CanRead);
        session.MapDelete("", async (HttpContext http, SignInHistory history, CancellationToken ct) =>
        {
            var result = await http.AuthenticateAsync(HubAccess.StaffScheme);
            await http.SignOutAsync(HubAccess.StaffScheme);
            if (result.Principal?.Identity?.Name is { } name)
                await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.SignedOut, null, ct);
            return Results.NoContent();
        });
    }

    /// <summary>
    /// <c>PUT /ops/api/session/password</c>: the signed-in member of staff changes their own password, proving it with the
    /// current one (a wrong one counts as a refused sign-in towards the lockout). 204; recorded as <c>password-changed</c>.
    /// </summary>
    private static async Task<IResult> ChangeOwnPassword(PasswordChangeRequest body, HubDbContext db, SignInHistory history, IOptions<OpsSignInOptions> options,
        TimeProvider clock, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var name = user.Identity!.Name!;
        var errors = StaffAccounts.PasswordProblems(name, body.NewPassword, "newPassword");
        if (string.IsNullOrEmpty(body.CurrentPassword) || body.CurrentPassword.Length > 256)
            errors["currentPassword"] = ["currentPassword is required."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The password cannot be changed so.");
        var lockout = options.Value;
        if (await history.LockedUntilAsync(SignInChannels.Ops, name, lockout.Attempts, lockout.Duration, ct) is { } until)
            return Results.Problem(statusCode: 403, title: "This account is locked after too many wrong passwords.", detail: $"Try again after {until:u}.");
        var account = await StaffAccounts.FindAsync(db, name, ct);
        if (account is null || account.Suspended)
            return Results.Problem(statusCode: 403, title: "This account is disabled.");
        if (!PasswordDigest.Verify(body.CurrentPassword!, account.PasswordHash))
        {
            await history.RecordAsync(http, SignInChannels.Ops, name, SignInOutcomes.Refused, "wrong current password (password change)", ct);
            return Results.Problem(statusCode: 403, title: "The current password is wrong.");
        }
        await StaffAccounts.SetPasswordAsync(db, account, body.NewPassword!, name, "password-changed", clock.GetUtcNow(), ct);
        return Results.NoContent();
    }

    private static readonly string DummyDigest = PasswordDigest.Hash(Guid.NewGuid().ToString());

    /// <summary>Maps <c>GET /ops/api/sign-ins</c>: the sign-in history of every channel, newest first (admins).</summary>
    public static void MapSignInHistory(this RouteGroupBuilder ops) =>
        ops.MapGet("/sign-ins", async (HubDbContext db, string? principal, string? channel, int? limit, CancellationToken ct) =>
        {
            if (principal is { Length: > 128 } || channel is { Length: > 16 })
                return Results.Problem(statusCode: 400, title: "Search terms are too long.");
            var q = db.Set<SignInEvent>().AsNoTracking();
            if (!string.IsNullOrWhiteSpace(principal))
                q = q.Where(e => e.Principal == principal);
            if (!string.IsNullOrWhiteSpace(channel))
                q = q.Where(e => e.Channel == channel);
            return Results.Ok(await q.OrderByDescending(e => e.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct));
        }).RequireAuthorization(OpsRoles.CanAdminister);
}

/// <summary>Lockout of the operations sign-in (section <c>Ops:SignIn</c>; 003 §5.5.4: three wrong passwords).</summary>
public sealed class OpsSignInOptions
{
    /// <summary>Wrong passwords in a row that lock the account.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int Attempts { get; set; } = 3;

    /// <summary>How long it stays locked after the last of them.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
