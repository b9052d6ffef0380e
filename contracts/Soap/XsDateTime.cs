using System.Globalization;
using System.Xml;

namespace Crm.Contracts.Soap;

/// <summary>
/// xs:dateTime text with its time-zone offset kept. XmlSerializer binds xs:dateTime to <see cref="DateTime"/> and turns
/// "…+08:00" into a local time of the reading machine, so the offset the partner wrote is lost; contracts whose offset
/// matters bind the element as text through these two functions instead.
/// </summary>
public static class XsDateTime
{
    /// <summary>
    /// Reads an xs:dateTime: "…+08:00" and "…Z" keep their instant and offset; a value without an offset is taken as UTC
    /// (offset +00:00), as the ERP contract says. Anything else is a <see cref="FormatException"/>.
    /// </summary>
    public static DateTimeOffset Parse(string text)
    {
        var value = text.Trim();
        // RoundtripKind tells a value without a zone (Unspecified) from one with a zone, which ToDateTimeOffset would not:
        // it reads a zoneless value in the local zone of this machine.
        var parsed = XmlConvert.ToDateTime(value, XmlDateTimeSerializationMode.RoundtripKind);
        return parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : XmlConvert.ToDateTimeOffset(value);
    }

    /// <summary>Writes an xs:dateTime with its offset ("Z" for UTC), to the tick; the default value is written as is, so a missing time stays recognisable.</summary>
    public static string Format(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
