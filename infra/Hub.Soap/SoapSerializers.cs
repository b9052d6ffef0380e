using System.Collections.Concurrent;
using System.Xml.Linq;
using System.Xml.Serialization;

namespace Hub.Soap;

/// <summary>One XmlSerializer per (type, default namespace), with the element name it reads and writes.</summary>
internal sealed record SoapTypeMapping(XmlSerializer Serializer, XName ElementName);

internal static class SoapSerializers
{
    private static readonly ConcurrentDictionary<(Type Type, string Namespace), SoapTypeMapping> Cache = new();

    internal static readonly XmlSerializerNamespaces NoNamespaces = CreateEmptyNamespaces();

    public static SoapTypeMapping Get(Type type, string? defaultNamespace) =>
        Cache.GetOrAdd((type, defaultNamespace ?? string.Empty), static key =>
        {
            var ns = key.Namespace.Length == 0 ? null : key.Namespace;
            var mapping = new XmlReflectionImporter(ns).ImportTypeMapping(key.Type);
            var serializer = new XmlSerializer(mapping);
            return new SoapTypeMapping(serializer, XName.Get(mapping.ElementName, mapping.Namespace ?? string.Empty));
        });

    /// <summary>Serialises an object to a detached element (no xsi/xsd noise).</summary>
    public static XElement ToElement(object value, string? defaultNamespace)
    {
        var mapping = Get(value.GetType(), defaultNamespace);
        var doc = new XDocument();
        using (var writer = doc.CreateWriter())
        {
            mapping.Serializer.Serialize(writer, value, NoNamespaces);
        }

        return doc.Root ?? throw new InvalidOperationException($"{value.GetType()} serialised to nothing.");
    }

    private static XmlSerializerNamespaces CreateEmptyNamespaces()
    {
        var namespaces = new XmlSerializerNamespaces();
        namespaces.Add(string.Empty, string.Empty);
        return namespaces;
    }
}
