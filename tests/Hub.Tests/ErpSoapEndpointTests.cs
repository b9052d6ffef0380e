using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Hub.Tests;

/// <summary>The hub's SOAP address for the legacy ERP on the embedded default: WSDL served, bad envelopes answered with a Fault.</summary>
[Collection("embedded")]
public sealed class ErpSoapEndpointTests(EmbeddedHubFixture hub)
{
    private static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    private async Task<(HttpStatusCode Status, XDocument Body)> Post(string xml, string contentType = "text/xml; charset=utf-8", string? action = "\"urn:crm-hub:erp-hub:v1/QueryOrder\"")
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/soap/erp") { Content = new StringContent(xml, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (action is not null)
            request.Headers.Add("SOAPAction", action);
        var response = await http.SendAsync(request);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string FaultCode(XDocument body) => body.Descendants(Soap11 + "Fault").Single().Element("faultcode")!.Value;

    [Fact]
    public async Task Wsdl_is_served_with_the_hubs_own_address()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var wsdl = XDocument.Parse(await http.GetStringAsync("/soap/erp?wsdl"));
        var address = wsdl.Descendants().First(e => e.Name.LocalName == "address").Attribute("location")!.Value;
        Assert.Equal(hub.BaseUrl.TrimEnd('/') + "/soap/erp", address);
        Assert.Contains(wsdl.Descendants(), e => e.Name.LocalName == "operation" && (string?)e.Attribute("name") == "QueryOrder");
    }

    [Theory]
    [InlineData("<not-closed>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>&a;</soap:Body></soap:Envelope>")]
    [InlineData("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"></soap:Envelope>")]
    public async Task Malformed_soap_is_answered_with_a_client_fault(string xml)
    {
        var (status, body) = await Post(xml);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.EndsWith(":Client", FaultCode(body));
    }

    [Fact]
    public async Task A_call_without_credentials_is_refused_without_revealing_why()
    {
        var (status, body) = await Post("""
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
              <soap:Body><QueryOrder xmlns="urn:crm-hub:erp-hub:v1"><orderNumber>SO000000000000</orderNumber></QueryOrder></soap:Body>
            </soap:Envelope>
            """);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.EndsWith(":Client", FaultCode(body));
        Assert.DoesNotContain("password", body.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
