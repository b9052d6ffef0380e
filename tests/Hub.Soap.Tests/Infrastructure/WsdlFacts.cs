using System.Text;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>Reads a WSDL 1.1 document's contract surface.</summary>
public sealed class WsdlFacts(XDocument document)
{
    public static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/wsdl/soap/";
    public static readonly XNamespace Soap12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
    public static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    public XDocument Document { get; } = document;

    public XElement Definitions => Document.Root!;

    public string TargetNamespace => (string)Definitions.Attribute("targetNamespace")!;

    public IEnumerable<XElement> Schemas => Definitions.Elements(Wsdl + "types").Elements(Xs + "schema");

    public IReadOnlyList<string> PortTypeOperations =>
        Definitions.Elements(Wsdl + "portType").Elements(Wsdl + "operation").Select(o => (string)o.Attribute("name")!).Order().ToList();

    public IEnumerable<XElement> Bindings => Definitions.Elements(Wsdl + "binding");

    public static bool IsSoap12(XElement binding) => binding.Element(Soap12 + "binding") is not null;

    public XName ResolveQName(XElement context, string qname)
    {
        var parts = qname.Split(':', 2);
        return parts.Length == 2 ? context.GetNamespaceOfPrefix(parts[0])! + parts[1] : XName.Get(qname, TargetNamespace);
    }

    public XElement Message(XElement context, string qname)
    {
        var name = ResolveQName(context, qname);
        return Definitions.Elements(Wsdl + "message").Single(m => (string?)m.Attribute("name") == name.LocalName && TargetNamespace == name.NamespaceName);
    }

    public XName PartElement(XElement message) =>
        ResolveQName(message, (string)message.Element(Wsdl + "part")!.Attribute("element")!);

    public ISet<XName> SchemaElements =>
        Schemas.SelectMany(s => s.Elements(Xs + "element").Select(e => XName.Get((string)e.Attribute("name")!, (string)s.Attribute("targetNamespace")!))).ToHashSet();

    public XmlSchemaSet CompileSchemas()
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        foreach (var schema in Schemas)
        {
            // Carry the in-scope namespace declarations of wsdl:definitions (tns, xs) onto the standalone schema.
            var copy = new XElement(schema);
            foreach (var ns in Definitions.Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                if (copy.Attribute(ns.Name) is null)
                {
                    copy.Add(new XAttribute(ns.Name, ns.Value));
                }
            }

            using var reader = copy.CreateReader();
            set.Add(XmlSchema.Read(reader, (_, e) => throw e.Exception)!);
        }

        set.Compile();
        return set;
    }

    /// <summary>A plain-text summary of the contract: ports, operations, actions, messages and every schema declaration.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append("definitions ").Append((string?)Definitions.Attribute("name")).Append(" tns=").AppendLine(TargetNamespace);
        foreach (var service in Definitions.Elements(Wsdl + "service"))
        {
            foreach (var port in service.Elements(Wsdl + "port"))
            {
                var address = port.Element(Soap + "address") ?? port.Element(Soap12 + "address");
                text.Append("service ").Append((string?)service.Attribute("name")).Append(" port ").Append((string?)port.Attribute("name"))
                    .Append(" binding=").Append(ResolveQName(port, (string)port.Attribute("binding")!).LocalName)
                    .Append(" address=").Append(address?.Name.Namespace == Soap12 ? "soap12:" : "soap:").AppendLine((string?)address?.Attribute("location"));
            }
        }

        foreach (var portType in Definitions.Elements(Wsdl + "portType"))
        {
            foreach (var operation in portType.Elements(Wsdl + "operation"))
            {
                text.Append("operation ").Append((string?)operation.Attribute("name"))
                    .Append(" in=").Append(PartElement(Message(operation, (string)operation.Element(Wsdl + "input")!.Attribute("message")!)))
                    .Append(" out=").Append(PartElement(Message(operation, (string)operation.Element(Wsdl + "output")!.Attribute("message")!)));
                foreach (var fault in operation.Elements(Wsdl + "fault"))
                {
                    text.Append(" fault=").Append((string?)fault.Attribute("name")).Append(':').Append(PartElement(Message(fault, (string)fault.Attribute("message")!)));
                }

                text.AppendLine();
            }
        }

        foreach (var binding in Bindings)
        {
            var soap = IsSoap12(binding) ? Soap12 : Soap;
            var b = binding.Element(soap + "binding")!;
            text.Append("binding ").Append((string?)binding.Attribute("name")).Append(IsSoap12(binding) ? " soap12" : " soap11")
                .Append(" style=").Append((string?)b.Attribute("style")).Append(" transport=").AppendLine((string?)b.Attribute("transport"));
            foreach (var operation in binding.Elements(Wsdl + "operation"))
            {
                text.Append("  ").Append((string?)operation.Attribute("name"))
                    .Append(" soapAction=").Append((string?)operation.Element(soap + "operation")?.Attribute("soapAction"))
                    .Append(" input=").Append((string?)operation.Element(Wsdl + "input")?.Element(soap + "body")?.Attribute("use"))
                    .Append(" output=").Append((string?)operation.Element(Wsdl + "output")?.Element(soap + "body")?.Attribute("use"));
                foreach (var fault in operation.Elements(Wsdl + "fault"))
                {
                    text.Append(" fault=").Append((string?)fault.Element(soap + "fault")?.Attribute("name")).Append('/').Append((string?)fault.Element(soap + "fault")?.Attribute("use"));
                }

                text.AppendLine();
            }
        }

        foreach (var schema in Schemas)
        {
            foreach (var declaration in schema.Elements())
            {
                text.Append(declaration.Name.LocalName).Append(' ').Append((string?)declaration.Attribute("name"));
                if (declaration.Attribute("type") is { } type)
                {
                    text.Append(" : ").Append(type.Value);
                }

                text.AppendLine();
                foreach (var member in declaration.Descendants(Xs + "element"))
                {
                    text.Append("  ").Append((string?)member.Attribute("name")).Append(" : ").Append((string?)member.Attribute("type"))
                        .Append(" [").Append((string?)member.Attribute("minOccurs") ?? "1").Append("..").Append((string?)member.Attribute("maxOccurs") ?? "1").AppendLine("]");
                }
            }
        }

        return text.ToString();
    }
}
