using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

/// <summary>
/// What a user wants pushed (003 §5.3.5 Push rules): events they muted are not pushed at all;
/// during quiet hours non-urgent platform pushes go silently (no alert, no sound) while deadline alarms still ring,
/// and the live stream carries everything.
/// Table <c>mobile_push_preference</c>; one row per user, created on first write.
/// </summary>
public sealed class PushPreference
{
    public string UserId { get; set; } = "";
    /// <summary>Event kinds not pushed, comma-separated (e.g. <c>order.status</c>).</summary>
    public string MutedKinds { get; set; } = "";
    /// <summary>Start of quiet hours, minutes after local midnight; null for none.</summary>
    public int? QuietFromMinute { get; set; }
    /// <summary>End of quiet hours, minutes after local midnight (may be before the start: overnight).</summary>
    public int? QuietToMinute { get; set; }
    /// <summary>The user's offset from UTC in minutes (China: 480).</summary>
    public int UtcOffsetMinutes { get; set; } = 480;
    /// <summary>Concurrency token; the ETag.</summary>
    public long Version { get; set; }

    /// <summary>Whether events of <paramref name="kind"/> are pushed at all.</summary>
    public bool Wants(string kind) => !MutedKinds.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(kind);

    /// <summary>Whether <paramref name="utcNow"/> falls in the user's quiet hours.</summary>
    public bool IsQuiet(DateTime utcNow)
    {
        if (QuietFromMinute is not { } from || QuietToMinute is not { } to || from == to)
            return false;
        var local = (int)((utcNow.TimeOfDay.TotalMinutes + UtcOffsetMinutes) % 1440 + 1440) % 1440;
        return from < to ? local >= from && local < to : local >= from || local < to;
    }
}

/// <summary>Body and answer of <c>/api/v1/push/preferences</c>; quiet hours as <c>HH:mm</c> local time.</summary>
public sealed record PushPreferencesDto(string[]? MutedKinds, string? QuietFrom, string? QuietTo, int? UtcOffsetMinutes);

/// <summary>The signed-in user's push preferences, read with an ETag and changed only with <c>If-Match</c>.</summary>
public static class PushPreferencesApi
{
    /// <summary>Event kinds the hub pushes.</summary>
    public static readonly string[] Kinds = ["order.status", "order.deadline", "order.completion-refused", "order.shipped", "order.invoiced", "order.payment-received", "ticket.assigned", "fieldwork.assigned", "approval.waiting", "schedule.reminder"];

    /// <summary>Maps <c>GET</c> and <c>PUT /api/v1/push/preferences</c>.</summary>
    public static void MapPushPreferencesApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("push/preferences", "Push", g =>
    {
        g.MapGet("/", Get);
        g.MapPut("/", Put);
    });

    /// <summary>The preferences of <paramref name="userId"/>, or the defaults (version 0) when never set.</summary>
    public static async Task<PushPreference> Load(HubDbContext db, string userId, CancellationToken ct) =>
        await db.Set<PushPreference>().FirstOrDefaultAsync(p => p.UserId == userId, ct) ?? new PushPreference { UserId = userId };

    private static async Task<Ok<PushPreferencesDto>> Get(HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var preference = await Load(db, MobileCaller.From(http.User).UserId, ct);
        EntityTags.Set(http, preference.Version);
        return TypedResults.Ok(Dto(preference));
    }

    private static async Task<IResult> Put(PushPreferencesDto body, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var unknown = (body.MutedKinds ?? []).Where(k => !Kinds.Contains(k)).ToArray();
        if (unknown.Length > 0) errors["mutedKinds"] = [$"Unknown event kinds: {string.Join(", ", unknown)}. Known: {string.Join(", ", Kinds)}."];
        var from = Minute(body.QuietFrom, "quietFrom", errors);
        var to = Minute(body.QuietTo, "quietTo", errors);
        if ((from is null) != (to is null)) errors["quietTo"] = ["quietFrom and quietTo are given together."];
        if (body.UtcOffsetMinutes is < -720 or > 840) errors["utcOffsetMinutes"] = ["utcOffsetMinutes is between -720 and 840."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The push preferences are invalid.");

        var userId = MobileCaller.From(http.User).UserId;
        var preference = await Load(db, userId, ct);
        if (EntityTags.CheckIfMatch(http, preference.Version) is { } refused)
            return refused;
        if (preference.Version == 0)
            db.Add(preference);
        preference.MutedKinds = string.Join(',', (body.MutedKinds ?? []).Distinct());
        preference.QuietFromMinute = from;
        preference.QuietToMinute = to;
        preference.UtcOffsetMinutes = body.UtcOffsetMinutes ?? preference.UtcOffsetMinutes;
        preference.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another phone saved between our read and write: the row version (or the first insert) no longer matches.
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else.");
        }
        EntityTags.Set(http, preference.Version);
        return TypedResults.Ok(Dto(preference));
    }

    private static int? Minute(string? hhmm, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(hhmm))
            return null;
        if (TimeOnly.TryParseExact(hhmm, "HH:mm", out var t))
            return t.Hour * 60 + t.Minute;
        errors[field] = [$"{field} is a time of day as HH:mm."];
        return null;
    }

    private static PushPreferencesDto Dto(PushPreference p) => new(
        p.MutedKinds.Split(',', StringSplitOptions.RemoveEmptyEntries),
        p.QuietFromMinute is { } f ? $"{f / 60:D2}:{f % 60:D2}" : null,
        p.QuietToMinute is { } t ? $"{t / 60:D2}:{t % 60:D2}" : null,
        p.UtcOffsetMinutes);
}
