using System.Net;
using System.Xml.Linq;

namespace Hub.Soap.Xml;

/// <summary>Reads a SOAP 1.1 or 1.2 Fault element into a <see cref="SoapFaultException"/>.</summary>
public static class SoapFaultReader
{
    private const string WcfDispatcherNamespace = "http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher";

    public static SoapFaultException Read(XElement fault, SoapVersion version, HttpStatusCode? httpStatus)
    {
        XNamespace ns = version.EnvelopeNamespace();
        XName? receivedCode;
        XName? subcode = null;
        string? reason;
        XElement? detail;

        if (version == SoapVersion.Soap11)
        {
            var codeElement = fault.Element("faultcode") ?? fault.Element(ns + "faultcode");
            receivedCode = ResolveQName(codeElement);
            reason = (fault.Element("faultstring") ?? fault.Element(ns + "faultstring"))?.Value;
            detail = (fault.Element("detail") ?? fault.Element(ns + "detail"))?.Elements().FirstOrDefault();
        }
        else
        {
            var code = fault.Element(ns + "Code");
            receivedCode = ResolveQName(code?.Element(ns + "Value"));
            subcode = ResolveQName(code?.Element(ns + "Subcode")?.Element(ns + "Value"));
            var texts = fault.Element(ns + "Reason")?.Elements(ns + "Text").ToList() ?? [];
            reason = (texts.FirstOrDefault(t => ((string?)t.Attribute(XNamespace.Xml + "lang"))?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true)
                      ?? texts.FirstOrDefault())?.Value;
            detail = fault.Element(ns + "Detail")?.Elements().FirstOrDefault();
        }

        if (detail is not null)
        {
            detail = new XElement(detail); // detach, keeping in-scope namespaces resolvable
        }

        return new SoapFaultException(MapCode(receivedCode), string.IsNullOrWhiteSpace(reason) ? "SOAP fault without a reason." : reason.Trim())
        {
            ReceivedCode = receivedCode,
            Subcode = subcode,
            DetailElement = detail,
            HttpStatusCode = httpStatus,
            Version = version,
        };
    }

    /// <summary>Maps a received fault code; codes not known to be server-side count as Client (not retried).</summary>
    public static SoapFaultCode MapCode(XName? code)
    {
        var local = code?.LocalName ?? string.Empty;
        if (code?.NamespaceName == WcfDispatcherNamespace && local == "InternalServiceFault")
        {
            return SoapFaultCode.Server;
        }

        var head = local.Split('.')[0]; // SOAP 1.1 dotted codes, e.g. Client.Authentication
        return head switch
        {
            "Server" or "Receiver" => SoapFaultCode.Server,
            "MustUnderstand" => SoapFaultCode.MustUnderstand,
            "VersionMismatch" => SoapFaultCode.VersionMismatch,
            _ => SoapFaultCode.Client,
        };
    }

    private static XName? ResolveQName(XElement? element)
    {
        var text = element?.Value.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return XName.Get(text, element!.GetDefaultNamespace().NamespaceName);
        }

        var prefix = text[..colon];
        var local = text[(colon + 1)..];
        var ns = element!.GetNamespaceOfPrefix(prefix)?.NamespaceName ?? string.Empty;
        return local.Length == 0 ? null : XName.Get(local, ns);
    }
}
