using System.Globalization;

namespace Hub.Functions.Hosting;

/// <summary>
/// A 5-field cron schedule: <c>minute hour day-of-month month day-of-week</c>. Each field takes <c>*</c>, a value,
/// a range <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c>, and comma-separated lists of these; months and
/// weekdays also take names (<c>JAN</c>, <c>MON</c>); weekday 0 and 7 are Sunday. When both day fields are
/// restricted a day matching either one qualifies, as in Vixie cron.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // A schedule that matches nothing within this span (e.g. 30 February) never fires.
    private static readonly TimeSpan SearchLimit = TimeSpan.FromDays(366 * 8);

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _anyDayOfMonth;
    private readonly bool _anyDayOfWeek;

    private CronSchedule(string expression, bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek,
        bool anyDayOfMonth, bool anyDayOfWeek)
    {
        Expression = expression;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        _daysOfWeek = daysOfWeek;
        _anyDayOfMonth = anyDayOfMonth;
        _anyDayOfWeek = anyDayOfWeek;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>Parses <paramref name="expression"/>, or throws <see cref="FormatException"/> saying which field is wrong and why.</summary>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            throw new FormatException($"Cron expression '{expression}' has {fields.Length} fields; expected 5 (minute hour day-of-month month day-of-week).");
        var daysOfWeek = Field(fields[4], "day-of-week", 0, 7, DayNames, 0);
        // 7 is another name for Sunday.
        daysOfWeek[0] |= daysOfWeek[7];
        return new CronSchedule(expression,
            Field(fields[0], "minute", 0, 59, null, 0),
            Field(fields[1], "hour", 0, 23, null, 0),
            Field(fields[2], "day-of-month", 1, 31, null, 0),
            Field(fields[3], "month", 1, 12, MonthNames, 1),
            daysOfWeek,
            fields[2] == "*", fields[4] == "*");
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, with the schedule read as wall-clock time in
    /// <paramref name="zone"/>; <c>null</c> if it never fires. A wall-clock time skipped by a daylight-saving change
    /// does not fire that day; one repeated by it fires once, at its first instant.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = local + SearchLimit;
        while (t <= limit)
        {
            if (!_months[t.Month])
                t = new DateTime(t.Year, t.Month, 1).AddMonths(1);
            else if (!DayMatches(t))
                t = t.Date.AddDays(1);
            else if (!_hours[t.Hour])
                t = t.Date.AddHours(t.Hour + 1);
            else if (!_minutes[t.Minute])
                t = t.AddMinutes(1);
            else
            {
                if (!zone.IsInvalidTime(t))
                {
                    var offset = zone.IsAmbiguousTime(t) ? zone.GetAmbiguousTimeOffsets(t).Max() : zone.GetUtcOffset(t);
                    var instant = new DateTimeOffset(t, offset);
                    if (instant > after)
                        return instant.ToUniversalTime();
                }
                t = t.AddMinutes(1);
            }
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Expression;

    private bool DayMatches(DateTime t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        if (_anyDayOfMonth || _anyDayOfWeek)
            return dom && dow;
        return dom || dow;
    }

    private static bool[] Field(string text, string name, int min, int max, string[]? names, int firstName)
    {
        var allowed = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var (range, step, stepped) = SplitStep(part, name, text);
            int from, to;
            if (range == "*")
                (from, to) = (min, max);
            else
            {
                var dash = range.IndexOf('-');
                from = Value(dash < 0 ? range : range[..dash], name, min, max, names, firstName);
                to = dash < 0 ? (stepped ? max : from) : Value(range[(dash + 1)..], name, min, max, names, firstName);
                if (to < from)
                    throw new FormatException($"Cron {name} range '{range}' runs backwards.");
            }
            for (var v = from; v <= to; v += step)
                allowed[v] = true;
        }
        return allowed;
    }

    private static (string Range, int Step, bool Stepped) SplitStep(string part, string name, string field)
    {
        if (part.Length == 0)
            throw new FormatException($"Cron {name} field '{field}' has an empty list element.");
        var slash = part.IndexOf('/');
        if (slash < 0)
            return (part, 1, false);
        if (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
            throw new FormatException($"Cron {name} step in '{part}' must be a positive whole number.");
        return (part[..slash], step, true);
    }

    private static int Value(string text, string name, int min, int max, string[]? names, int firstName)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            if (value < min || value > max)
                throw new FormatException($"Cron {name} value {value} is outside {min}-{max}.");
            return value;
        }
        var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
            throw new FormatException($"Cron {name} value '{text}' is not a number{(names is null ? "" : " or a name like " + names[0])}.");
        return index + firstName;
    }
}
