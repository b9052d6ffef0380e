namespace Hub.Soap;

/// <summary>The SOAP envelope version of a message.</summary>
public enum SoapVersion
{
    /// <summary>SOAP 1.1: <c>text/xml</c> with a <c>SOAPAction</c> HTTP header.</summary>
    Soap11,

    /// <summary>SOAP 1.2: <c>application/soap+xml; action="..."</c>.</summary>
    Soap12,
}

/// <summary>Namespace URIs and media types used by the SOAP stack.</summary>
public static class SoapConstants
{
    public const string Soap11EnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12EnvelopeNamespace = "http://www.w3.org/2003/05/soap-envelope";

    public const string Soap11MediaType = "text/xml";
    public const string Soap12MediaType = "application/soap+xml";

    public const string WsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";
    public const string WsdlSoap11Namespace = "http://schemas.xmlsoap.org/wsdl/soap/";
    public const string WsdlSoap12Namespace = "http://schemas.xmlsoap.org/wsdl/soap12/";

    public const string WsseNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public const string WsuNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public const string PasswordTextType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
    public const string PasswordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    public const string Base64BinaryEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    public const string WsAddressing10Namespace = "http://www.w3.org/2005/08/addressing";
    public const string WsAddressing200408Namespace = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

    /// <summary>The envelope namespace of a SOAP version.</summary>
    public static string EnvelopeNamespace(this SoapVersion version) =>
        version == SoapVersion.Soap12 ? Soap12EnvelopeNamespace : Soap11EnvelopeNamespace;

    /// <summary>The media type of a SOAP version (without parameters).</summary>
    public static string MediaType(this SoapVersion version) =>
        version == SoapVersion.Soap12 ? Soap12MediaType : Soap11MediaType;

    /// <summary>The full Content-Type of a response in this version.</summary>
    public static string ResponseContentType(this SoapVersion version) => version.MediaType() + "; charset=utf-8";
}
