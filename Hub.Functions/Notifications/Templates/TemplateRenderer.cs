using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Hub.Functions.Notifications.Templates;

/// <summary>The parts of a message in one language; a channel is offered when its parts are there.</summary>
/// <param name="Subject">Email subject.</param>
/// <param name="Text">Email plain text.</param>
/// <param name="Html">Email HTML.</param>
/// <param name="Sms">SMS text.</param>
public sealed record MessageTemplate(string? Subject, string? Text, string? Html, string? Sms)
{
    /// <summary>Whether it can go by email (subject, text and HTML).</summary>
    public bool HasEmail => Subject is not null && Text is not null && Html is not null;

    /// <summary>Whether it can go by SMS.</summary>
    public bool HasSms => Sms is not null;

    /// <summary>Whether it can go by <paramref name="channel"/>.</summary>
    public bool Has(string channel) => channel == NotificationChannel.Email ? HasEmail : HasSms;
}

/// <summary>A rendered message: the parts of its template, filled in.</summary>
public sealed record RenderedMessage(string? Subject, string? Text, string? Html, string? Sms);

/// <summary>A template that cannot be filled in completely; nothing is sent from it.</summary>
public sealed class TemplateException(string template, string language, IReadOnlyList<string> problems)
    : Exception($"Template {template} ({language}): {string.Join("; ", problems)}.")
{
    /// <summary>Every problem found, e.g. <c>text: no value for 'orderNumber'</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Fills in templates: <c>{{name}}</c> inserts a value, <c>{{name:format}}</c> formats it (.NET format strings,
/// in the language's culture; times in the company zone), <c>{{name:term}}</c> inserts the language's word for
/// it, and <c>{{?name}}…{{/name}}</c> keeps its content only when <c>name</c> has a value. A missing or empty value
/// outside such a section, an unknown term or a bad format is a <see cref="TemplateException"/>, never a half-filled
/// message. Values are HTML-encoded in HTML parts.
/// </summary>
public static partial class TemplateRenderer
{
    /// <summary>Renders every part of <paramref name="template"/>, or throws <see cref="TemplateException"/> listing all problems.</summary>
    public static RenderedMessage Render(string name, string language, MessageTemplate template, IReadOnlyDictionary<string, object?> data,
        IReadOnlyDictionary<string, string> terms, TimeZoneInfo zone)
    {
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-US" : "zh-CN");
        var problems = new List<string>();
        string? Part(string part, string? text, bool html) =>
            text is null ? null : RenderPart(part, text, data, terms, culture, zone, html, problems);
        var rendered = new RenderedMessage(Part("subject", template.Subject, false), Part("text", template.Text, false),
            Part("html", template.Html, true), Part("sms", template.Sms, false));
        if (problems.Count > 0)
            throw new TemplateException(name, language, problems);
        return rendered;
    }

    private static string RenderPart(string part, string text, IReadOnlyDictionary<string, object?> data, IReadOnlyDictionary<string, string> terms,
        CultureInfo culture, TimeZoneInfo zone, bool html, List<string> problems)
    {
        var withSections = Section().Replace(text, m => HasValue(data, m.Groups["name"].Value) ? m.Groups["body"].Value : "");
        var filled = Placeholder().Replace(withSections, m =>
        {
            var name = m.Groups["name"].Value;
            var format = m.Groups["format"].Success ? m.Groups["format"].Value : null;
            if (!HasValue(data, name))
            {
                problems.Add($"{part}: no value for '{name}'");
                return "";
            }
            var value = Format(data[name]!, format, terms, culture, zone, out var problem);
            if (problem is not null)
                problems.Add($"{part}: '{name}' {problem}");
            return html ? WebUtility.HtmlEncode(value) : value;
        });
        if (filled.Contains("{{", StringComparison.Ordinal) || filled.Contains("}}", StringComparison.Ordinal))
            problems.Add($"{part}: a placeholder or section is not closed or not well formed");
        return filled;
    }

    private static bool HasValue(IReadOnlyDictionary<string, object?> data, string name) =>
        data.TryGetValue(name, out var value) && value is not null && (value is not string s || !string.IsNullOrWhiteSpace(s));

    private static string Format(object value, string? format, IReadOnlyDictionary<string, string> terms, CultureInfo culture, TimeZoneInfo zone,
        out string? problem)
    {
        problem = null;
        if (format == "term")
        {
            var key = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            if (terms.TryGetValue(key, out var term))
                return term;
            problem = $"has no term for '{key}'";
            return "";
        }
        try
        {
            return value switch
            {
                string s when format is null => s,
                string => throw new FormatException("is text and takes no format"),
                DateTimeOffset at => TimeZoneInfo.ConvertTime(at, zone).ToString(format ?? "yyyy-MM-dd HH:mm", culture),
                DateOnly day => day.ToString(format ?? "yyyy-MM-dd", culture),
                IFormattable formattable => formattable.ToString(format, culture),
                _ => value.ToString() ?? "",
            };
        }
        catch (FormatException ex)
        {
            problem = ex.Message.StartsWith("is ", StringComparison.Ordinal) ? ex.Message : $"has a bad format '{format}'";
            return "";
        }
    }

    [GeneratedRegex(@"\{\{\?(?<name>[A-Za-z][A-Za-z0-9]*)\}\}(?<body>.*?)\{\{/\k<name>\}\}", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\{\{(?<name>[A-Za-z][A-Za-z0-9]*)(?::(?<format>[^{}]+))?\}\}")]
    private static partial Regex Placeholder();
}
