using Hub.Adapters.Mobile;
using Hub.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Identity;

/// <summary>A bound device as the apps see it.</summary>
public sealed record DeviceView(string DeviceId, string UserId, string Platform, string Status, bool HasPushToken, DateTime BoundAt,
    DateTime LastSeenAt, DateTime? WipeSentAt);

/// <summary>Body of <c>PUT /api/v1/devices/current/push-registration</c>.</summary>
public sealed record PushRegistrationRequest(string? Platform, string? Token);

/// <summary>
/// Devices: a user lists theirs and reports one lost; a supervisor or manager disables a device of
/// someone in their scope. Either way the device is refused from then on and told to wipe.
/// </summary>
public static class DevicesApi
{
    /// <summary>Maps <c>/api/v1/devices</c>.</summary>
    public static void MapDevicesApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("devices", "Devices", g =>
    {
        g.MapGet("/", List);
        g.MapPut("/current/push-registration", RegisterPushToken);
        g.MapPost("/{deviceId}/lost", (string deviceId, HubDbContext db, HttpContext http, CancellationToken ct) =>
            Block(deviceId, DeviceStatus.Lost, db, http, ct));
        g.MapPost("/{deviceId}/disable", (string deviceId, HubDbContext db, HttpContext http, CancellationToken ct) =>
            Block(deviceId, DeviceStatus.Disabled, db, http, ct));
    });

    private static async Task<Ok<DeviceView[]>> List(string? userId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var owner = string.IsNullOrWhiteSpace(userId) ? caller.UserId : userId;
        var user = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == owner, ct);
        if (user is null || (user.UserId != caller.UserId && !caller.May(StaffPermissions.DevicesDisable, user.UserId, user.Office, user.Region)))
            return TypedResults.Ok(Array.Empty<DeviceView>());
        var devices = await db.Set<MobileDevice>().AsNoTracking().Where(d => d.UserId == owner).OrderBy(d => d.BoundAt).ToListAsync(ct);
        return TypedResults.Ok(devices.Select(View).ToArray());
    }

    /// <summary>Stores the FCM or APNs token of the calling device, used when it has no live stream.</summary>
    private static async Task<Results<Ok<DeviceView>, ValidationProblem>> RegisterPushToken(PushRegistrationRequest request, HubDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Platform is not ("android" or "ios")) errors["platform"] = ["platform is 'android' or 'ios'."];
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 4096) errors["token"] = ["token is required (at most 4096 characters)."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The push registration is invalid.");
        var caller = MobileCaller.From(http.User);
        var device = await db.Set<MobileDevice>().FirstAsync(d => d.DeviceId == caller.DeviceId, ct);
        device.Platform = request.Platform!;
        device.PushToken = request.Token;
        device.Version++;
        await db.SaveChangesAsync(ct);
        EntityTags.Set(http, device.Version);
        return TypedResults.Ok(View(device));
    }

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> Block(string deviceId, string status, HubDbContext db, HttpContext http,
        CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var device = await db.Set<MobileDevice>().FirstOrDefaultAsync(d => d.DeviceId == deviceId, ct);
        var owner = device is null ? null : await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == device.UserId, ct);
        var mayDisable = owner is not null && caller.May(StaffPermissions.DevicesDisable, owner.UserId, owner.Office, owner.Region);
        if (device is null || owner is null || (owner.UserId != caller.UserId && !mayDisable))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such device.");
        // Reporting lost is the owner's own call; disabling is a supervisor's decision over someone in their scope.
        if (status == DeviceStatus.Disabled && !mayDisable)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only a supervisor or manager may disable a device.");
        if (device.Status != status)
        {
            device.Status = status;
            device.Version++;
            await db.SaveChangesAsync(ct);
        }
        EntityTags.Set(http, device.Version);
        return TypedResults.Ok(View(device));
    }

    private static DeviceView View(MobileDevice d) =>
        new(d.DeviceId, d.UserId, d.Platform, d.Status, d.PushToken is not null, d.BoundAt, d.LastSeenAt, d.WipeSentAt);
}
