namespace Crm.Domain.Customers;

/// <summary>Text folding shared by the normalisations.</summary>
internal static class Text
{
    /// <summary>Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space become their half-width selves.</summary>
    public static string ToHalfWidth(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '\uFF01' and <= '\uFF5E')
                chars[i] = (char)(chars[i] - 0xFEE0);
            else if (chars[i] == '\u3000')
                chars[i] = ' ';
        }
        return new string(chars);
    }

    /// <summary>Trims and folds every run of white space into one space.</summary>
    public static string CollapseWhitespace(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
