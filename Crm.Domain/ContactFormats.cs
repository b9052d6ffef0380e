namespace Crm.Domain;

/// <summary>
/// Plausibility of contact details typed by people. Deliberately loose: the aim is to catch
/// data-entry slips, not to validate deliverability, which only sending can prove.
/// </summary>
internal static class ContactFormats
{
    public static bool IsPlausibleEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at < value.Length - 3 && value.IndexOf('.', at) > at + 1 && !value.Any(char.IsWhiteSpace) && value.Length <= 254;
    }

    /// <summary>Digits with the usual separators, at most one + before the digits, 5 to 20 digits (short service numbers to international).</summary>
    public static bool IsPlausiblePhone(string value)
    {
        var digits = value.Count(c => char.IsAsciiDigit(c) || c is >= '０' and <= '９');
        return value.Length <= 32 && digits is >= 5 and <= 20
            && value.All(c => char.IsAsciiDigit(c) || c is >= '０' and <= '９' || " -()+.#,;/　－（）＋转extEXT".Contains(c))
            && value.Count(c => c is '+' or '＋') <= 1
            && value.IndexOfAny(['+', '＋']) is var plus && (plus < 0 || plus < value.IndexOfAny("0123456789０１２３４５６７８９".ToCharArray()));
    }

    /// <summary>An absolute http(s) address, or a bare host name people usually type (www.example.cn).</summary>
    public static bool IsPlausibleWebsite(string value)
    {
        var candidate = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return value.Length <= 200 && Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Contains('.');
    }

    /// <summary>
    /// A registration number: the unified social credit code (统一社会信用代码, 18), an older business licence number (营业执照号,
    /// 15) or a resident ID card number (身份证号, 18, last may be X) — 8 to 30 letters, digits or hyphens.
    /// </summary>
    public static bool IsPlausibleRegistrationNumber(string value) =>
        value.Length is >= 8 and <= 30 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>A bank account number (银行账号) or IBAN: 8 to 34 letters and digits, spaces and hyphens allowed between groups.</summary>
    public static bool IsPlausibleBankAccount(string value)
    {
        var significant = value.Where(c => c is not (' ' or '-')).ToArray();
        return value.Length <= 42 && significant.Length is >= 8 and <= 34 && significant.All(char.IsAsciiLetterOrDigit) && significant.Count(char.IsAsciiDigit) >= 6;
    }

    /// <summary>Letters, digits, spaces and hyphens, 3 to 10 characters (China's six digits, and foreign formats).</summary>
    public static bool IsPlausiblePostcode(string value) =>
        value.Length is >= 3 and <= 10 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-');
}
