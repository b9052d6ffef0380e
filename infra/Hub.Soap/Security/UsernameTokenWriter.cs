using System.Globalization;
using System.Security.Cryptography;
using System.Xml;

namespace Hub.Soap.Security;

/// <summary>Writes a WS-Security 1.0 UsernameToken header block (client side).</summary>
public static class UsernameTokenWriter
{
    /// <summary>Writes <c>wsse:Security</c> with a UsernameToken (fresh 16-byte nonce and Created on every call).</summary>
    public static void Write(
        XmlWriter writer,
        SoapVersion version,
        string username,
        string password,
        bool useDigest,
        DateTimeOffset now,
        bool mustUnderstand = true)
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        var created = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        writer.WriteStartElement("wsse", "Security", SoapConstants.WsseNamespace);
        writer.WriteAttributeString("xmlns", "wsu", null, SoapConstants.WsuNamespace);
        if (mustUnderstand)
        {
            writer.WriteAttributeString("mustUnderstand", version.EnvelopeNamespace(), "1");
        }

        writer.WriteStartElement("wsse", "UsernameToken", SoapConstants.WsseNamespace);
        writer.WriteAttributeString("wsu", "Id", SoapConstants.WsuNamespace, "UsernameToken-" + Guid.NewGuid().ToString("N"));
        writer.WriteElementString("wsse", "Username", SoapConstants.WsseNamespace, username);

        writer.WriteStartElement("wsse", "Password", SoapConstants.WsseNamespace);
        if (useDigest)
        {
            writer.WriteAttributeString("Type", SoapConstants.PasswordDigestType);
            writer.WriteString(Convert.ToBase64String(UsernameTokenAuthenticator.ComputeDigest(nonce, created, password)));
        }
        else
        {
            writer.WriteAttributeString("Type", SoapConstants.PasswordTextType);
            writer.WriteString(password);
        }

        writer.WriteEndElement();

        writer.WriteStartElement("wsse", "Nonce", SoapConstants.WsseNamespace);
        writer.WriteAttributeString("EncodingType", SoapConstants.Base64BinaryEncoding);
        writer.WriteString(Convert.ToBase64String(nonce));
        writer.WriteEndElement();

        writer.WriteElementString("wsu", "Created", SoapConstants.WsuNamespace, created);
        writer.WriteEndElement(); // UsernameToken
        writer.WriteEndElement(); // Security
    }
}
