using Hub.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Hub.Infrastructure.Access;

/// <summary>One sign-in, sign-in refusal or sign-out (table <c>sign_in_event</c>; 003 §3.15 登录历史).</summary>
public sealed class SignInEvent
{
    public long Id { get; set; }
    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
    /// <summary>Where: <see cref="SignInChannels"/>.</summary>
    public string Channel { get; set; } = "";
    /// <summary>Who: the user or client id as given (an unknown name is recorded too, to see guessing).</summary>
    public string Principal { get; set; } = "";
    /// <summary><see cref="SignInOutcomes"/>.</summary>
    public string Outcome { get; set; } = "";
    /// <summary>The caller's network address.</summary>
    public string? Address { get; set; }
    /// <summary>Device, reason of a refusal; never a password.</summary>
    public string? Detail { get; set; }
}

/// <summary>Channels a sign-in comes through.</summary>
public static class SignInChannels
{
    public const string Ops = "ops", Mobile = "mobile";
}

/// <summary>What became of a sign-in.</summary>
public static class SignInOutcomes
{
    public const string SignedIn = "signed-in", Refused = "refused", Locked = "locked", SignedOut = "signed-out";
}

/// <summary>Records sign-ins and answers whether a principal is locked out by its recent refusals.</summary>
public sealed class SignInHistory(HubDbContext db, TimeProvider clock)
{
    /// <summary>Records one event (saved at once: a refused sign-in changes nothing else, yet must be on record).</summary>
    public async Task RecordAsync(HttpContext http, string channel, string principal, string outcome, string? detail, CancellationToken ct)
    {
        db.Add(new SignInEvent
        {
            At = clock.GetUtcNow().UtcDateTime, Channel = channel, Principal = principal.Length > 128 ? principal[..128] : principal, Outcome = outcome,
            Address = http.Connection.RemoteIpAddress?.ToString(), Detail = detail,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Until when <paramref name="principal"/> is locked: after <paramref name="attempts"/> refusals in a row (no
    /// sign-in between) the account stays locked for <paramref name="duration"/> from the last of them. Null: not locked.
    /// </summary>
    public async Task<DateTime?> LockedUntilAsync(string channel, string principal, int attempts, TimeSpan duration, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - duration;
        // Attempts while locked are recorded as such and do not count: the lock runs from the last real refusal.
        var recent = await db.Set<SignInEvent>().AsNoTracking()
            .Where(e => e.Channel == channel && e.Principal == principal && e.At >= since
                        && (e.Outcome == SignInOutcomes.Refused || e.Outcome == SignInOutcomes.SignedIn))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(attempts).Select(e => new { e.Outcome, e.At }).ToListAsync(ct);
        if (recent.Count < attempts || recent.Any(e => e.Outcome == SignInOutcomes.SignedIn))
            return null;
        var until = recent[0].At + duration;
        return until > now ? until : null;
    }
}
