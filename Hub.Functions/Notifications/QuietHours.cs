namespace Hub.Functions.Notifications;

/// <summary>Quiet hours in company time: non-urgent SMS wait for their end.</summary>
public static class QuietHours
{
    /// <summary>
    /// When the quiet hours that <paramref name="now"/> falls into end (UTC), or <c>null</c> if it falls outside them.
    /// <paramref name="start"/> after <paramref name="end"/> spans midnight; equal times mean no quiet hours.
    /// </summary>
    public static DateTime? HeldUntil(DateTimeOffset now, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        if (start == end)
            return null;
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var spansMidnight = start > end;
        var quiet = spansMidnight ? time >= start || time < end : time >= start && time < end;
        if (!quiet)
            return null;
        var endDay = spansMidnight && time >= start ? local.Date.AddDays(1) : local.Date;
        var endLocal = endDay.Add(end.ToTimeSpan());
        // A wall-clock end skipped by a daylight-saving change: the hour after it.
        while (zone.IsInvalidTime(endLocal))
            endLocal = endLocal.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(endLocal, DateTimeKind.Unspecified), zone);
    }

    /// <summary>The recipient's own quiet hours, else the defaults.</summary>
    public static (TimeOnly Start, TimeOnly End) For(NotificationRecipient? recipient, QuietHoursSettings defaults) =>
        recipient is { QuietFrom: { } from, QuietUntil: { } until }
            ? (TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(from)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(until)))
            : (defaults.Start, defaults.End);
}
