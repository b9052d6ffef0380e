using Hub.Functions.Hosting;

namespace Hub.Functions.Tests;

/// <summary>The 5-field cron expressions of timer triggers.</summary>
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Local(int y, int mo, int d, int h, int mi, TimeZoneInfo zone) =>
        new(new DateTime(y, mo, d, h, mi, 0), zone.GetUtcOffset(new DateTime(y, mo, d, h, mi, 0)));

    private static DateTimeOffset? NextLocal(string cron, DateTimeOffset after, TimeZoneInfo zone) =>
        CronSchedule.Parse(cron).Next(after, zone) is { } next ? TimeZoneInfo.ConvertTime(next, zone) : null;

    [Theory]
    [InlineData("0 9 * * *", "2026-03-02 08:59", "2026-03-02 09:00")]
    [InlineData("0 9 * * *", "2026-03-02 09:00", "2026-03-03 09:00")]
    [InlineData("*/15 * * * *", "2026-03-02 10:07", "2026-03-02 10:15")]
    [InlineData("5-10/2 8 * * *", "2026-03-02 08:06", "2026-03-02 08:07")]
    [InlineData("30 9 1,15 * *", "2026-03-02 10:00", "2026-03-15 09:30")]
    [InlineData("0 0 * * MON", "2026-03-02 00:00", "2026-03-09 00:00")]
    [InlineData("0 0 * * 7", "2026-03-02 00:00", "2026-03-08 00:00")]
    [InlineData("0 0 29 FEB *", "2026-03-02 00:00", "2028-02-29 00:00")]
    [InlineData("0 12 1 * 1", "2026-03-03 13:00", "2026-03-09 12:00")]
    [InlineData("0 12 13 * 5", "2026-03-10 00:00", "2026-03-13 12:00")]
    [InlineData("59 23 31 12 *", "2026-03-02 00:00", "2026-12-31 23:59")]
    [InlineData("10/20 * * * *", "2026-03-02 10:31", "2026-03-02 10:50")]
    public void Next_occurrence_follows_the_expression(string cron, string after, string expected)
    {
        var from = DateTime.Parse(after);
        var next = NextLocal(cron, Local(from.Year, from.Month, from.Day, from.Hour, from.Minute, Shanghai), Shanghai);
        Assert.Equal(DateTime.Parse(expected), next!.Value.DateTime);
    }

    [Fact]
    public void Both_day_fields_restricted_means_either_day_as_in_vixie_cron()
    {
        // The 1st of April 2026 is a Wednesday; Mondays also qualify.
        var next = NextLocal("0 8 1 * MON", Local(2026, 3, 31, 9, 0, Shanghai), Shanghai);
        Assert.Equal(new DateTime(2026, 4, 1, 8, 0, 0), next!.Value.DateTime);
        Assert.Equal(new DateTime(2026, 4, 6, 8, 0, 0), NextLocal("0 8 1 * MON", next.Value, Shanghai)!.Value.DateTime);
    }

    [Fact]
    public void Schedule_is_read_in_the_company_zone()
    {
        var next = CronSchedule.Parse("0 9 * * *").Next(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), Shanghai);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void A_time_skipped_by_daylight_saving_does_not_fire_that_day_and_a_repeated_one_fires_once()
    {
        // Berlin springs forward on 29 March 2026 (02:00 -> 03:00) and falls back on 25 October (03:00 -> 02:00).
        var spring = CronSchedule.Parse("30 2 * * *").Next(Local(2026, 3, 28, 3, 0, Berlin), Berlin)!.Value;
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), spring);

        var schedule = CronSchedule.Parse("30 2 * * *");
        var first = schedule.Next(Local(2026, 10, 24, 12, 0, Berlin), Berlin)!.Value;
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), first);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), schedule.Next(first, Berlin));
        // Asked again during the repeated hour, it still does not fire a second time that night.
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero),
            schedule.Next(new DateTimeOffset(2026, 10, 25, 1, 10, 0, TimeSpan.Zero), Berlin));
    }

    [Fact]
    public void An_impossible_date_never_fires()
    {
        Assert.Null(CronSchedule.Parse("0 0 30 2 *").Next(DateTimeOffset.UtcNow, Shanghai));
    }

    [Theory]
    [InlineData("0 9 * *", "has 4 fields")]
    [InlineData("60 9 * * *", "minute value 60 is outside 0-59")]
    [InlineData("0 24 * * *", "hour value 24 is outside 0-23")]
    [InlineData("0 9 0 * *", "day-of-month value 0 is outside 1-31")]
    [InlineData("0 9 * 13 *", "month value 13 is outside 1-12")]
    [InlineData("0 9 * * 8", "day-of-week value 8 is outside 0-7")]
    [InlineData("0 9 * * FUN", "day-of-week value 'FUN' is not a number or a name like SUN")]
    [InlineData("*/0 9 * * *", "minute step in '*/0' must be a positive whole number")]
    [InlineData("0 17-9 * * *", "hour range '17-9' runs backwards")]
    [InlineData("0 9,,10 * * *", "hour field '9,,10' has an empty list element")]
    public void A_bad_expression_is_refused_saying_why(string cron, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(cron));
        Assert.Contains(reason, error.Message);
    }
}
