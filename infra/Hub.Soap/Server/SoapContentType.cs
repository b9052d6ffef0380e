namespace Hub.Soap.Server;

/// <summary>
/// A lenient Content-Type reader: the media type (lower case) and the SOAP 1.2 <c>action</c> parameter, quoted or not
/// (some stacks send <c>action=urn:x:y</c> unquoted, which a strict RFC parser rejects).
/// </summary>
internal readonly record struct SoapContentType(string? MediaType, string? Action)
{
    public static SoapContentType Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return default;
        }

        var parts = SplitOutsideQuotes(value);
        var mediaType = parts[0].Trim().ToLowerInvariant();
        string? action = null;
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim().Equals("action", StringComparison.OrdinalIgnoreCase))
            {
                action = part[(eq + 1)..].Trim();
                if (action.Length >= 2 && action[0] == '"' && action[^1] == '"')
                {
                    action = action[1..^1];
                }
            }
        }

        return new SoapContentType(mediaType.Length == 0 ? null : mediaType, action);
    }

    private static List<string> SplitOutsideQuotes(string value)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (value[i] == ';' && !quoted)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }
}
