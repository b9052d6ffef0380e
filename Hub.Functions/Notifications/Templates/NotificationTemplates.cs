using System.Text.Json;

namespace Hub.Functions.Notifications.Templates;

/// <summary>
/// The message templates per event, in Chinese and English (embedded <c>Templates/zh.json</c> and <c>en.json</c>),
/// with each language's terms for <c>{{x:term}}</c>. Both languages must offer the same templates with the same
/// parts, or the host does not start.
/// </summary>
public sealed class NotificationTemplates
{
    /// <summary>The languages messages are written in; the first is the fallback.</summary>
    public static readonly IReadOnlyList<string> Languages = ["zh", "en"];

    private readonly Dictionary<string, Catalogue> _catalogues;

    private NotificationTemplates(Dictionary<string, Catalogue> catalogues)
    {
        _catalogues = catalogues;
        var reference = catalogues[Languages[0]].Templates;
        foreach (var (language, catalogue) in catalogues)
        {
            var missing = reference.Keys.Except(catalogue.Templates.Keys).Concat(catalogue.Templates.Keys.Except(reference.Keys)).ToArray();
            if (missing.Length > 0)
                throw new InvalidOperationException($"Templates {string.Join(", ", missing)} are not in every language ({language}).");
            var parts = catalogue.Templates.Where(t => !SameParts(t.Value, reference[t.Key])).Select(t => t.Key).ToArray();
            if (parts.Length > 0)
                throw new InvalidOperationException($"Templates {string.Join(", ", parts)} have other parts in {language} than in {Languages[0]}.");
        }
    }

    /// <summary>The template names.</summary>
    public IEnumerable<string> Names => _catalogues[Languages[0]].Templates.Keys;

    /// <summary>Loads the templates embedded in this assembly.</summary>
    public static NotificationTemplates LoadEmbedded() =>
        new(Languages.ToDictionary(l => l, l =>
        {
            using var stream = typeof(NotificationTemplates).Assembly.GetManifestResourceStream($"notification-templates.{l}.json")
                ?? throw new InvalidOperationException($"Templates for language {l} are not embedded.");
            return JsonSerializer.Deserialize<Catalogue>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidOperationException($"Templates for language {l} are empty.");
        }));

    /// <summary>The template <paramref name="name"/> in <paramref name="language"/>; an unknown name is a programming error.</summary>
    public MessageTemplate Get(string name, string language) =>
        CatalogueOf(language).Templates.TryGetValue(name, out var template)
            ? template
            : throw new KeyNotFoundException($"There is no notification template '{name}'.");

    /// <summary>Renders <paramref name="template"/> (by default the catalogue's <paramref name="name"/>) in <paramref name="language"/>.</summary>
    public RenderedMessage Render(string name, string language, IReadOnlyDictionary<string, object?> data, TimeZoneInfo zone,
        MessageTemplate? template = null) =>
        TemplateRenderer.Render(name, language, template ?? Get(name, language), data, CatalogueOf(language).Terms, zone);

    /// <summary>The language's word for <paramref name="key"/>, e.g. the greeting used when a recipient's name is not known.</summary>
    public string Term(string language, string key) =>
        CatalogueOf(language).Terms.TryGetValue(key, out var term) ? term : throw new KeyNotFoundException($"There is no term '{key}' in {language}.");

    private Catalogue CatalogueOf(string language) =>
        _catalogues.TryGetValue(language, out var catalogue) ? catalogue : _catalogues[Languages[0]];

    private static bool SameParts(MessageTemplate a, MessageTemplate b) =>
        (a.Subject is null) == (b.Subject is null) && (a.Text is null) == (b.Text is null)
        && (a.Html is null) == (b.Html is null) && (a.Sms is null) == (b.Sms is null);

    private sealed record Catalogue(Dictionary<string, string> Terms, Dictionary<string, MessageTemplate> Templates);
}
