using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Hub.Soap.Xml;

/// <summary>Writes SOAP 1.1 / 1.2 envelopes and faults (prefix <c>s</c>, no XML declaration, UTF-8 without BOM).</summary>
public static class SoapMessageWriter
{
    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        OmitXmlDeclaration = true,
        Indent = false,
        CloseOutput = false,
    };

    /// <summary>Writes an envelope; <paramref name="writeHeader"/> writes header blocks (the Header element is omitted when null).</summary>
    public static byte[] WriteEnvelope(SoapVersion version, Action<XmlWriter>? writeHeader, Action<XmlWriter> writeBody)
    {
        var ns = version.EnvelopeNamespace();
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartElement("s", "Envelope", ns);
            if (writeHeader is not null)
            {
                writer.WriteStartElement("s", "Header", ns);
                writeHeader(writer);
                writer.WriteEndElement();
            }

            writer.WriteStartElement("s", "Body", ns);
            writeBody(writer);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return buffer.ToArray();
    }

    /// <summary>A complete fault envelope.</summary>
    public static byte[] WriteFault(SoapVersion version, SoapFaultCode code, string reason, XElement? detail) =>
        WriteEnvelope(version, null, w => WriteFaultElement(w, version, code, reason, detail));

    /// <summary>
    /// Writes <c>s:Fault</c>. SOAP 1.1: faultcode, faultstring (xml:lang), detail. SOAP 1.2: Code/Value, Reason/Text (xml:lang), Detail.
    /// </summary>
    public static void WriteFaultElement(XmlWriter writer, SoapVersion version, SoapFaultCode code, string reason, XElement? detail)
    {
        var ns = version.EnvelopeNamespace();
        writer.WriteStartElement("s", "Fault", ns);
        if (version == SoapVersion.Soap11)
        {
            writer.WriteStartElement("faultcode", string.Empty);
            writer.WriteQualifiedName(CodeName(version, code), ns);
            writer.WriteEndElement();
            writer.WriteStartElement("faultstring", string.Empty);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(reason);
            writer.WriteEndElement();
            if (detail is not null)
            {
                writer.WriteStartElement("detail", string.Empty);
                detail.WriteTo(writer);
                writer.WriteEndElement();
            }
        }
        else
        {
            writer.WriteStartElement("s", "Code", ns);
            writer.WriteStartElement("s", "Value", ns);
            writer.WriteQualifiedName(CodeName(version, code), ns);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement("s", "Reason", ns);
            writer.WriteStartElement("s", "Text", ns);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(reason);
            writer.WriteEndElement();
            writer.WriteEndElement();
            if (detail is not null)
            {
                writer.WriteStartElement("s", "Detail", ns);
                detail.WriteTo(writer);
                writer.WriteEndElement();
            }
        }

        writer.WriteEndElement();
    }

    /// <summary>The local name of a fault code in a SOAP version (Client/Sender, Server/Receiver...).</summary>
    public static string CodeName(SoapVersion version, SoapFaultCode code) => (version, code) switch
    {
        (SoapVersion.Soap11, SoapFaultCode.Client) => "Client",
        (SoapVersion.Soap11, SoapFaultCode.Server) => "Server",
        (SoapVersion.Soap12, SoapFaultCode.Client) => "Sender",
        (SoapVersion.Soap12, SoapFaultCode.Server) => "Receiver",
        (_, SoapFaultCode.MustUnderstand) => "MustUnderstand",
        (_, SoapFaultCode.VersionMismatch) => "VersionMismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}
