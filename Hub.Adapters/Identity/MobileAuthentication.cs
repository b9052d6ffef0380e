using System.Security.Claims;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>
/// Bearer-token authentication of the mobile API, with the device binding checked on every call:
/// the token's user, phone number and device must still match an active device (003 §5.5.4). A
/// disabled or lost device is refused with a wipe command instead.
/// </summary>
public static class MobileAuthentication
{
    /// <summary>Authorization policy of every mobile endpoint.</summary>
    public const string Policy = "mobile";

    /// <summary>Header that carries a command to the device alongside a refusal.</summary>
    public const string DeviceCommandHeader = "Device-Command";

    private const string WipeItem = "mobile.device-wipe";
    private const string RefusalItem = "mobile.refusal";

    /// <summary>Registers users, devices, tokens, the bearer scheme and the mobile policy.</summary>
    public static void AddMobileIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MobileIdentityOptions>()
            .Bind(builder.Configuration.GetSection(MobileIdentityOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.Jwt.SigningKey) || KeyLength(o.Jwt.SigningKey) >= 32,
                "Mobile:Jwt:SigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.Jwt.TokenLifetime > TimeSpan.Zero, "Mobile:Jwt:TokenLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IHubStoreModel, IdentityStoreModel>();
        services.AddSingleton<MobileTokens>();
        services.AddSingleton<MobileUserDirectory>();
        services.AddSingleton<StaffGrantsCache>();
        services.AddHostedService<StaffAccountImport>();

        services.AddAuthentication()
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents
                {
                    // Browsers' EventSource and WebSocket cannot set headers: the push stream also takes the token as a query parameter.
                    OnMessageReceived = ctx =>
                    {
                        if (ctx.Request.Path.Value?.Contains("/push/", StringComparison.Ordinal) == true
                            && ctx.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                            ctx.Token = token;
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = CheckDeviceBinding,
                    OnChallenge = async ctx =>
                    {
                        ctx.HandleResponse();
                        if (ctx.HttpContext.Items.ContainsKey(WipeItem))
                        {
                            await WriteWipe(ctx.HttpContext);
                            return;
                        }
                        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        ctx.Response.Headers.WWWAuthenticate = "Bearer";
                        await Problem(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Sign in first.",
                            ctx.HttpContext.Items[RefusalItem] as string ?? "A valid bearer token from POST /api/v1/auth/login is required.");
                    },
                    OnForbidden = ctx => Problem(ctx.HttpContext, StatusCodes.Status403Forbidden, "Not allowed.", "Your role does not allow this."),
                };
            });
        // The key is a singleton made at start; the bearer options read it from there.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<MobileTokens>((o, tokens) => o.TokenValidationParameters = tokens.ValidationParameters);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(MobileCaller.Claims.Device));
    }

    /// <summary>A refusal that tells the device to erase the app's data (炸弹消息, 003 §5.5.4).</summary>
    public static Task WriteWipe(HttpContext http)
    {
        http.Response.Headers[DeviceCommandHeader] = "wipe";
        return Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Type = "urn:crm-hub:problem:device-wipe",
            Title = "This device is disabled or reported lost.",
            Detail = "Erase the app's data on this device.",
            Extensions = { ["command"] = "wipe" },
        }).ExecuteAsync(http);
    }

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);

    private static async Task CheckDeviceBinding(TokenValidatedContext ctx)
    {
        var principal = ctx.Principal!;
        var userId = principal.FindFirstValue(MobileCaller.Claims.Subject);
        var deviceId = principal.FindFirstValue(MobileCaller.Claims.Device);
        var phone = principal.FindFirstValue(MobileCaller.Claims.Phone);
        var db = ctx.HttpContext.RequestServices.GetRequiredService<HubDbContext>();
        var device = deviceId is null ? null : await db.Set<MobileDevice>().AsNoTracking().FirstOrDefaultAsync(d => d.DeviceId == deviceId, ctx.HttpContext.RequestAborted);
        var user = userId is null ? null : await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, ctx.HttpContext.RequestAborted);

        if (device is null || user is null || device.UserId != userId || device.Phone != phone || user.Phone != phone)
        {
            ctx.HttpContext.Items[RefusalItem] = "The token's user, phone number and device are not bound together.";
            ctx.Fail("device binding mismatch");
            return;
        }
        var now = DateTime.UtcNow;
        if (DeviceStatus.MustWipe(device.Status) || user.Suspended)
        {
            await db.Set<MobileDevice>().Where(d => d.DeviceId == deviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.WipeSentAt, now), ctx.HttpContext.RequestAborted);
            ctx.HttpContext.Items[WipeItem] = true;
            ctx.Fail("device disabled or lost");
            return;
        }
        // Roles and delegations as of now (StaffGrantsCache: an expired delegation stops at once, a revocation here at once, elsewhere within its bound).
        var grants = await ctx.HttpContext.RequestServices.GetRequiredService<StaffGrantsCache>().GrantsOfAsync(db, user, ctx.HttpContext.RequestAborted);
        principal.AddIdentity(new ClaimsIdentity(grants.Select(g => new Claim(PermissionGrant.ClaimType, g.ToClaimValue()))));
        // Last-seen is for operations, not security: a write per minute per device is enough.
        if (now - device.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            await db.Set<MobileDevice>().Where(d => d.DeviceId == deviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now), ctx.HttpContext.RequestAborted);
        }
    }

    private static int KeyLength(string base64)
    {
        try { return Convert.FromBase64String(base64).Length; }
        catch (FormatException) { return 0; }
    }
}

/// <summary>The answer to a disabled or lost device: 403 with the wipe command (see <see cref="MobileAuthentication.WriteWipe"/>).</summary>
public sealed class WipeCommand : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => MobileAuthentication.WriteWipe(httpContext);
}
