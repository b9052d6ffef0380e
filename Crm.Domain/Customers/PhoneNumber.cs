using System.Text;

namespace Crm.Domain.Customers;

/// <summary>
/// Phone numbers reduced to a comparison key, so that "+86 (010) 6552-1234", "0086 10 65521234"
/// and "010-65521234" meet: the key of duplicate detection and of the call centre's screen pop
/// (002 §5.2: 弹屏,根据电话号码显示客户), where the switch delivers the caller number in yet another form.
/// </summary>
public static class PhoneNumber
{
    private static readonly string[] ExtensionMarks = ["ext", "转", "x", "#", ",", ";"];

    /// <summary>
    /// Digits only, full-width digits read as digits, an extension cut off, China's country code
    /// (+86, 0086, or a bare 86 before a mobile number) and the domestic trunk 0 stripped; another
    /// country's "+" becomes the 00 it is dialled with.
    /// Applying it twice gives the same key as once. No digits at all gives "".
    /// </summary>
    public static string Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return "";
        var text = Text.ToHalfWidth(raw).ToLowerInvariant();
        var cut = ExtensionMarks.Select(m => text.IndexOf(m, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(text.Length).Min();
        text = text[..cut];

        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsAsciiDigit(c))
                digits.Append(c);
        var key = digits.ToString();
        // "+" is the international prefix: ours is dropped, any other is written 00 as dialled.
        if (text.FirstOrDefault(c => char.IsAsciiDigit(c) || c == '+') == '+')
            key = key.StartsWith("86", StringComparison.Ordinal) ? key[2..] : "00" + key;

        // Strip prefixes until none is left, so that the key is a fixed point (idempotent).
        string before;
        do
        {
            before = key;
            if (key.StartsWith("0086", StringComparison.Ordinal))
                key = key[4..];
            else if (key.Length == 13 && key.StartsWith("861", StringComparison.Ordinal))
                key = key[2..];
            else if (key.Length > 1 && key[0] == '0' && key[1] != '0')
                key = key[1..];
        } while (key != before);
        return key;
    }

    /// <summary>
    /// The screen-pop key of a caller number (ANI) as the switch delivers it; <c>null</c> when the
    /// caller withheld it or it is too short to identify anyone (internal extensions).
    /// </summary>
    public static string? CallerKey(string? callerNumber)
    {
        var key = Normalise(callerNumber);
        return key.Length >= 5 ? key : null;
    }
}
