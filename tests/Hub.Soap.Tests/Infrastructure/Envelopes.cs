using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>Credentials the test simulators accept.</summary>
public static class TestCredentials
{
    public const string PartnerId = "crm-hub";
    public const string Username = "crm-hub-user";
    public const string Password = "Pa55-w0rd!";
}

/// <summary>Hand-written envelopes, independent of the stack under test.</summary>
public static class Envelopes
{
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    public const string SalesNs = "urn:crm-hub:erp-sales:v1";
    public const string CreateAction = SalesNs + "/CreateSalesOrder";
    public const string Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public const string Wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public const string DigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    public const string TextType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

    public static string CreateSalesOrder(string documentId, string customerCode = "C-100", string orderNumber = "ORD-1") =>
        $"""<CreateSalesOrder xmlns="{SalesNs}"><documentId>{documentId}</documentId><orderNumber>{orderNumber}</orderNumber><customerCode>{customerCode}</customerCode><lines><line><productCode>P-1</productCode><specModel>M-1</specModel><quantity>2</quantity><unitPrice>10.00</unitPrice><discount>0.1</discount></line></lines><totalAmount>18.00</totalAmount></CreateSalesOrder>""";

    /// <summary>A wsse:Security block; digest = Base64(SHA1(nonce + created + password)) computed here.</summary>
    public static string Security(
        string username = TestCredentials.Username,
        string password = TestCredentials.Password,
        bool digest = true,
        DateTimeOffset? created = null,
        byte[]? nonce = null,
        string? passwordOverride = null)
    {
        nonce ??= RandomNumberGenerator.GetBytes(16);
        var createdText = (created ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var passwordValue = passwordOverride ?? (digest
            ? Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(createdText), .. Encoding.UTF8.GetBytes(password)]))
            : password);
        return $"""<wsse:Security xmlns:wsse="{Wsse}" xmlns:wsu="{Wsu}"><wsse:UsernameToken><wsse:Username>{SecurityElement.Escape(username)}</wsse:Username><wsse:Password Type="{(digest ? DigestType : TextType)}">{SecurityElement.Escape(passwordValue)}</wsse:Password><wsse:Nonce>{Convert.ToBase64String(nonce)}</wsse:Nonce><wsu:Created>{createdText}</wsu:Created></wsse:UsernameToken></wsse:Security>""";
    }

    public static string Envelope(string body, string? header = null, string envelopeNs = Soap11) =>
        $"""<s:Envelope xmlns:s="{envelopeNs}">{(header is null ? string.Empty : $"<s:Header>{header}</s:Header>")}<s:Body>{body}</s:Body></s:Envelope>""";

    public static Task<SoapHttpResult> PostSoap11Async(HttpClient http, Uri url, string envelope, string? soapAction = "\"" + CreateAction + "\"") =>
        PostAsync(http, url, Encoding.UTF8.GetBytes(envelope), "text/xml; charset=utf-8", soapAction);

    public static Task<SoapHttpResult> PostSoap12Async(HttpClient http, Uri url, string envelope, string? action = CreateAction) =>
        PostAsync(http, url, Encoding.UTF8.GetBytes(envelope), "application/soap+xml; charset=utf-8" + (action is null ? string.Empty : $"; action=\"{action}\""), null);

    public static async Task<SoapHttpResult> PostAsync(HttpClient http, Uri url, byte[] body, string? contentType, string? soapAction, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        HttpContent content = chunked ? new StreamContent(new NoLengthStream(body)) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Content = content;
        if (soapAction is not null)
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", soapAction);
        }

        using var response = await http.SendAsync(request);
        return new SoapHttpResult(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType);
    }

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>An HTTP answer and what its SOAP fault says.</summary>
public sealed record SoapHttpResult(HttpStatusCode Status, string Body, MediaTypeHeaderValue? ContentType)
{
    public XDocument Document => XDocument.Parse(Body);

    public XElement? Fault =>
        Document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "Body")?.Elements().FirstOrDefault(e => e.Name.LocalName == "Fault");

    /// <summary>The fault code as {ns}local (faultcode in 1.1, Code/Value in 1.2).</summary>
    public XName? FaultCode
    {
        get
        {
            var fault = Fault;
            var value = fault?.Element("faultcode") ?? fault?.Element(XName.Get("Code", Envelopes.Soap12))?.Element(XName.Get("Value", Envelopes.Soap12));
            if (value is null)
            {
                return null;
            }

            var parts = value.Value.Trim().Split(':');
            return parts.Length == 2 ? value.GetNamespaceOfPrefix(parts[0])! + parts[1] : XName.Get(parts[0]);
        }
    }

    public string? FaultReason =>
        Fault?.Element("faultstring")?.Value ??
        Fault?.Element(XName.Get("Reason", Envelopes.Soap12))?.Element(XName.Get("Text", Envelopes.Soap12))?.Value;

    public XElement? FaultDetail =>
        (Fault?.Element("detail") ?? Fault?.Element(XName.Get("Detail", Envelopes.Soap12)))?.Elements().FirstOrDefault();

    public void AssertClientFault(string envelopeNs = Envelopes.Soap11)
    {
        Assert.Equal(HttpStatusCode.InternalServerError, Status);
        Assert.NotNull(ContentType);
        Assert.Equal(envelopeNs == Envelopes.Soap12 ? "application/soap+xml" : "text/xml", ContentType!.MediaType);
        Assert.Equal(XName.Get(envelopeNs == Envelopes.Soap12 ? "Sender" : "Client", envelopeNs), FaultCode);
    }
}
