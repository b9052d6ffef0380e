using System.ComponentModel.DataAnnotations;

namespace Hub.Functions.Hosting;

/// <summary>How the functions host runs its functions (section <c>Functions</c>).</summary>
public sealed class FunctionsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Functions";

    /// <summary>
    /// The company's time zone (IANA id): timer schedules, quiet hours, birthdays and due dates are read in it.
    /// </summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Timer triggers.</summary>
    public TimerSettings Timers { get; set; } = new();

    /// <summary>The zone named by <see cref="TimeZone"/> (a method: validation reads every property, and a bad name must fail validation, not throw).</summary>
    public TimeZoneInfo CompanyZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Today's date in the company's time zone, by <paramref name="clock"/>.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), CompanyZone()).DateTime);

    /// <summary>Whether <see cref="TimeZone"/> names a zone this machine knows.</summary>
    public bool HasKnownZone() => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _);
}

/// <summary>Timer trigger settings (<c>Functions:Timers</c>).</summary>
public sealed class TimerSettings
{
    /// <summary>How often due occurrences are looked for: the timers' precision.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an instance holds an occurrence it runs; if it dies, another takes the occurrence over after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a failed occurrence waits before it is run again.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether all durations are positive.</summary>
    public bool IsValid() => PollInterval > TimeSpan.Zero && LeaseDuration > TimeSpan.Zero && RetryAfter > TimeSpan.Zero;
}
