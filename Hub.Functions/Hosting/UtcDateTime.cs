using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hub.Functions.Hosting;

/// <summary>
/// UTC <see cref="DateTime"/> columns: SQLite hands them back without a kind, PostgreSQL insists on UTC when
/// writing; these converters make both read back as UTC. (Columns that are filtered or sorted on are DateTime,
/// not DateTimeOffset, because SQLite cannot compare the latter.)
/// </summary>
public static class UtcDateTime
{
    /// <summary>For non-null columns.</summary>
    public static readonly ValueConverter<DateTime, DateTime> Converter = new(v => ToStore(v), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    /// <summary>For nullable columns.</summary>
    public static readonly ValueConverter<DateTime?, DateTime?> NullableConverter =
        new(v => v.HasValue ? ToStore(v.Value) : v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

    private static DateTime ToStore(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
