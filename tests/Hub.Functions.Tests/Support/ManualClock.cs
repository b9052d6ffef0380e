namespace Hub.Functions.Tests.Support;

/// <summary>A clock the test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not in our registry).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
            return _now;
    }

    /// <summary>Moves the clock forward (never back: timers' next occurrences are in the store).</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        lock (_gate)
            _now += by;
    }

    /// <summary>Moves the clock forward to the next time <paramref name="time"/> o'clock in <paramref name="zone"/>.</summary>
    public DateTimeOffset AdvanceToNext(TimeOnly time, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(GetUtcNow(), zone);
        var target = local.Date + time.ToTimeSpan();
        if (target <= local.DateTime)
            target = target.AddDays(1);
        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(target, DateTimeKind.Unspecified), zone);
        Advance(new DateTimeOffset(utc, TimeSpan.Zero) - GetUtcNow());
        return GetUtcNow();
    }

    /// <summary>Today's date in <paramref name="zone"/>.</summary>
    public DateOnly Today(TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(GetUtcNow(), zone).DateTime);
}
