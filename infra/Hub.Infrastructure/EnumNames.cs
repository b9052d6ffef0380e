namespace Hub.Infrastructure;

/// <summary>
/// Enum values named by outside input (REST query strings and bodies, SOAP documents, commands): a defined member by its
/// name, case and surrounding space ignored. A number or a list is never a name, though <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/>
/// would take <c>"1"</c>, <c>"-1"</c> or <c>"A,B"</c> for one.
/// </summary>
public static class EnumNames
{
    /// <summary>True with the member <paramref name="name"/> names; false (and <paramref name="value"/> unset) for anything else.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(name))
            return false;
        var trimmed = name.Trim();
        return !char.IsAsciiDigit(trimmed[0]) && trimmed[0] is not ('-' or '+') && !trimmed.Contains(',')
            && Enum.TryParse(trimmed, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>
    /// The member <paramref name="name"/> names, or a value no member has, which the domain's own "is not a known …" rule
    /// then reports against the right field together with every other error.
    /// </summary>
    public static T ParseOrUnknown<T>(string? name) where T : struct, Enum =>
        TryParse(name, out T value) ? value : (T)Enum.ToObject(typeof(T), -1);
}
