using Hub.Infrastructure.Access;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>Body of <c>POST /api/v1/auth/login</c>: the three things bound together (003 §5.5.4) plus the password.</summary>
public sealed record LoginRequest(string? UserId, string? Password, string? Phone, string? DeviceId, string? Platform);

/// <summary>A signed-in session.</summary>
public sealed record LoginResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, SignedInUser User);

/// <summary>Who signed in.</summary>
public sealed record SignedInUser(string UserId, string DisplayName, string Role, string Office, string Region, string DeviceId);

/// <summary>The hub's login: checks user, password, phone number and device together and issues a bearer token.</summary>
public static class LoginApi
{
    private static readonly string[] Platforms = ["android", "ios"];

    /// <summary>Maps <c>POST /api/v1/auth/login</c>.</summary>
    public static void MapLoginApi(this IEndpointRouteBuilder routes) =>
        routes.MapMobileResource("auth", "Sign-in", g => g.MapPost("/login", Login).AllowAnonymous().WithMetadata(new IdempotencyExempt()), anonymous: true);

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult, ValidationProblem, WipeCommand>> Login(LoginRequest request, HubDbContext db,
        MobileTokens tokens, IOptions<MobileIdentityOptions> options, SignInHistory history, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 64) errors["userId"] = ["userId is required (at most 64 characters)."];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["password is required."];
        if (string.IsNullOrWhiteSpace(request.Phone) || request.Phone.Length > 32) errors["phone"] = ["phone is required (at most 32 characters)."];
        if (string.IsNullOrWhiteSpace(request.DeviceId) || request.DeviceId.Length > 128) errors["deviceId"] = ["deviceId is required (at most 128 characters)."];
        if (request.Platform is not null && !Platforms.Contains(request.Platform)) errors["platform"] = ["platform is 'android' or 'ios'."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The login request is invalid.");

        var settings = options.Value;
        var now = DateTime.UtcNow;
        var user = await db.Set<MobileUser>().FirstOrDefaultAsync(u => u.UserId == request.UserId, ct);
        // One answer for an unknown user, a wrong password and a wrong phone number: nothing to probe.
        var refused = TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused.",
            detail: "User, password or phone number is wrong.");
        var deviceNote = $"device {request.DeviceId}";
        if (user is null)
        {
            await history.RecordAsync(http, SignInChannels.Mobile, request.UserId!, SignInOutcomes.Refused, "unknown user; " + deviceNote, ct);
            return refused;
        }
        if (user.Suspended)
        {
            await history.RecordAsync(http, SignInChannels.Mobile, user.UserId, SignInOutcomes.Refused, "suspended; " + deviceNote, ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This account is suspended.");
        }
        if (user.LockedUntilTicks > now.Ticks)
        {
            await history.RecordAsync(http, SignInChannels.Mobile, user.UserId, SignInOutcomes.Locked, deviceNote, ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This account is locked after too many wrong passwords.",
                detail: $"Try again after {new DateTime(user.LockedUntilTicks, DateTimeKind.Utc):u}.");
        }
        if (!PasswordDigest.Verify(request.Password!, user.PasswordHash) || user.Phone != request.Phone)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= settings.LockoutAfter)
            {
                user.FailedLogins = 0;
                user.LockedUntilTicks = (now + settings.LockoutDuration).Ticks;
            }
            await db.SaveChangesAsync(ct);
            await history.RecordAsync(http, SignInChannels.Mobile, user.UserId, SignInOutcomes.Refused, "wrong password or phone; " + deviceNote, ct);
            return refused;
        }

        var device = await db.Set<MobileDevice>().FirstOrDefaultAsync(d => d.DeviceId == request.DeviceId, ct);
        if (device is not null && (device.UserId != user.UserId || device.Phone != user.Phone))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This device is bound to another user or phone number.");
        if (device is not null && DeviceStatus.MustWipe(device.Status))
        {
            device.WipeSentAt = now;
            await db.SaveChangesAsync(ct);
            return new WipeCommand();
        }
        if (device is null)
        {
            var bound = await db.Set<MobileDevice>().CountAsync(d => d.UserId == user.UserId && d.Status == DeviceStatus.Active, ct);
            if (bound >= settings.MaxDevicesPerUser)
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This user already has a bound device.",
                    detail: "Report the old device lost, or ask a supervisor to disable it, before signing in on a new one.");
            db.Add(device = new MobileDevice
            {
                DeviceId = request.DeviceId!, UserId = user.UserId, Phone = user.Phone, Platform = request.Platform ?? "android",
                Status = DeviceStatus.Active, BoundAt = now, LastSeenAt = now, Version = 1,
            });
        }
        else
        {
            device.LastSeenAt = now;
        }
        user.FailedLogins = 0;
        await db.SaveChangesAsync(ct);
        await history.RecordAsync(http, SignInChannels.Mobile, user.UserId, SignInOutcomes.SignedIn, deviceNote, ct);

        var (token, expires) = tokens.Issue(user, device);
        return TypedResults.Ok(new LoginResponse(token, "Bearer", expires,
            new SignedInUser(user.UserId, user.DisplayName, user.Role, user.Office, user.Region, device.DeviceId)));
    }
}
