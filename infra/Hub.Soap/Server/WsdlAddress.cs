using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Hub.Soap.Server;

/// <summary>Builds the address a caller sees (honouring X-Forwarded-*) and writes it into a WSDL's soap:address / soap12:address.</summary>
public static partial class WsdlAddress
{
    /// <summary>scheme://host[prefix]pathBase/path of the request; X-Forwarded-Proto/Host/Prefix win when valid and enabled.</summary>
    public static string Build(HttpRequest request, bool useForwardedHeaders)
    {
        var scheme = request.Scheme;
        var host = request.Host.HasValue ? request.Host.Value! : "localhost";
        var prefix = string.Empty;

        if (useForwardedHeaders)
        {
            var proto = First(request.Headers["X-Forwarded-Proto"]);
            if (proto is not null && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase)))
            {
                scheme = proto.ToLowerInvariant();
            }

            var forwardedHost = First(request.Headers["X-Forwarded-Host"]);
            if (forwardedHost is not null && HostPattern().IsMatch(forwardedHost))
            {
                host = forwardedHost;
            }

            var forwardedPrefix = First(request.Headers["X-Forwarded-Prefix"]);
            if (forwardedPrefix is not null && PrefixPattern().IsMatch(forwardedPrefix))
            {
                prefix = forwardedPrefix.TrimEnd('/');
            }
        }

        return $"{scheme}://{host}{prefix}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}";
    }

    /// <summary>A copy of <paramref name="wsdl"/> with every soap:address and soap12:address location set to <paramref name="address"/>, as UTF-8.</summary>
    public static byte[] Rewrite(XDocument wsdl, string address)
    {
        var copy = new XDocument(wsdl);
        foreach (var element in copy.Descendants())
        {
            if (element.Name.LocalName == "address" &&
                element.Name.NamespaceName is SoapConstants.WsdlSoap11Namespace or SoapConstants.WsdlSoap12Namespace)
            {
                element.SetAttributeValue("location", address);
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            copy.Save(writer);
        }

        return buffer.ToArray();
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values)
    {
        var raw = values.ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var first = raw.Split(',')[0].Trim();
        return first.Length == 0 ? null : first;
    }

    [GeneratedRegex(@"^([A-Za-z0-9\-._~]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^(/[A-Za-z0-9\-._~%]+)+/?$")]
    private static partial Regex PrefixPattern();
}
