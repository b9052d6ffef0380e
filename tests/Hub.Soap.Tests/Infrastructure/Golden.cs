using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>
/// Golden files under Golden/. Set UPDATE_GOLDEN=1 to (re)write them in the source tree after a deliberate change;
/// a missing file is written and the test fails once.
/// </summary>
public static class Golden
{
    public static void AssertMatches(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        var source = Path.Combine(SourceDirectory(), "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" || !File.Exists(Path.Combine(AppContext.BaseDirectory, "Golden", name)))
        {
            var existed = File.Exists(source);
            File.WriteAllText(source, actual);
            Assert.True(existed && Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1", $"Golden file {name} was written to {source}; review it and re-run.");
            return;
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Normalises XML for comparison: whitespace and namespace prefixes dropped (names stay qualified), QName values
    /// (faultcode, Code/Value) resolved to {ns}local, attributes sorted, the given volatile elements/attributes blanked.
    /// </summary>
    public static string NormaliseXml(string xml, params string[] volatileLocalNames)
    {
        var root = XDocument.Parse(xml).Root!;
        return Rebuild(root, volatileLocalNames.ToHashSet()).ToString() + "\n";
    }

    private static XElement Rebuild(XElement element, HashSet<string> volatileNames)
    {
        var copy = new XElement(element.Name);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            copy.SetAttributeValue(attribute.Name, volatileNames.Contains(attribute.Name.LocalName) ? "*" : attribute.Value);
        }

        if (volatileNames.Contains(element.Name.LocalName))
        {
            copy.Value = "*";
            return copy;
        }

        if (!element.HasElements)
        {
            var text = element.Value;
            if (element.Name.LocalName is "faultcode" or "Value" && text.Contains(':', StringComparison.Ordinal))
            {
                var parts = text.Trim().Split(':', 2);
                text = "{" + element.GetNamespaceOfPrefix(parts[0])?.NamespaceName + "}" + parts[1];
            }

            if (text.Length > 0)
            {
                copy.Value = text;
            }

            return copy;
        }

        foreach (var child in element.Elements())
        {
            copy.Add(Rebuild(child, volatileNames));
        }

        return copy;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
}
