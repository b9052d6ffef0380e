namespace Crm.Domain.Customers;

/// <summary>
/// Customer names reduced to a comparison key (003 §3.1.1 客户重复的检查): "北京华信科技有限公司",
/// "北京华信科技 公司" and "ＢＥＩＪＩＮＧ　ＨＵＡＸＩＮ Co., Ltd." versus "Beijing Huaxin" meet.
/// </summary>
public static class CustomerName
{
    // Longest first, so "股份有限公司" goes before "有限公司" and "公司".
    private static readonly string[] ChineseSuffixes = ["股份有限公司", "有限责任公司", "有限公司", "公司"];

    private static readonly string[] LatinSuffixes =
        ["company limited", "co ltd", "co limited", "corporation", "limited", "company", "corp", "inc", "ltd", "llc", "gmbh", "co"];

    private static readonly char[] Punctuation = ['.', ',', '(', ')', '（', '）', '、', '，', '。', '-', '&', '\'', '"', '·', '/'];

    /// <summary>
    /// Full-width to half-width, case folded, punctuation to spaces, white space collapsed, and
    /// common company-form suffixes stripped (有限公司, 股份有限公司, 公司, Co., Ltd., Inc. …). A name
    /// that is nothing but a suffix keeps it. Applying it twice gives the same key as once.
    /// </summary>
    public static string Normalise(string? name)
    {
        var text = Fold(name);
        if (text.Length == 0)
            return "";

        string before;
        do
        {
            before = text;
            // Only the longest suffix that matches counts; when it is the whole name, the name stays.
            if (ChineseSuffixes.FirstOrDefault(s => text.EndsWith(s, StringComparison.Ordinal)) is { } chinese && text.Length > chinese.Length)
                text = text[..^chinese.Length].TrimEnd();
            if (LatinSuffixes.FirstOrDefault(s => text == s || text.EndsWith(" " + s, StringComparison.Ordinal)) is { } latin && text != latin)
                text = text[..^latin.Length].TrimEnd();
        } while (text != before);
        return text;
    }

    /// <summary>
    /// The key prefix of what a call-centre agent has typed so far (screen pop by name, 弹屏): folded as
    /// <see cref="Normalise"/> folds, but no suffix is stripped, since a half-typed name has none yet.
    /// A prefix of a name without a company-form suffix folds to a prefix of the name's key.
    /// </summary>
    public static string NormalisePrefix(string? typed) => Fold(typed);

    /// <summary>Full-width to half-width, case folded, punctuation to spaces, white space collapsed.</summary>
    private static string Fold(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "";
        var text = Text.ToHalfWidth(name).ToLowerInvariant();
        foreach (var p in Punctuation)
            text = text.Replace(p, ' ');
        return Text.CollapseWhitespace(text);
    }
}
