using System.Net;
using System.Text;
using Crm.Contracts.Soap.ErpHub;
using Hub.Adapters.Erp;
using Hub.Endpoints.Erp;
using Hub.Persistence;
using Hub.Soap.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Erp;

/// <summary>
/// Malformed and hostile XML at the hub's own /soap/erp: every one is a SOAP fault, nothing crashes, nothing is
/// recorded, and the service answers a good call right after.
/// </summary>
[Collection("embedded")]
public sealed class ErpHostileInputTests(EmbeddedHubFixture hub)
{
    private static string Shipment(string documentId) =>
        $"""<ReportShipment xmlns="{ErpHubContract.Namespace}"><documentId>{documentId}</documentId><orderNumber>SO-HOSTILE</orderNumber><shipmentNumber>WB-1</shipmentNumber><shippedAt>2026-01-01T00:00:00Z</shippedAt><lines><line><productCode>X</productCode><quantity>1</quantity></line></lines></ReportShipment>""";

    private static string Secured(string body, string ns = Envelopes.Soap11) =>
        Envelopes.Envelope(body, Envelopes.Security(ErpTestPartners.PushUsername, ErpTestPartners.Password), ns);

    public static TheoryData<string, string> Hostile()
    {
        var doc = "HOSTILE-" + Guid.NewGuid().ToString("N");
        var laughs = """<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>""";
        return new TheoryData<string, string>
        {
            { "entity expansion", laughs + Secured(Shipment(doc).Replace("WB-1", "&lol3;")) },
            { "external entity", """<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>""" + Secured(Shipment(doc).Replace("WB-1", "&xxe;")) },
            { "deep nesting", Secured(Shipment(doc).Replace("<productCode>X</productCode>", string.Concat(Enumerable.Repeat("<a>", 5000)) + string.Concat(Enumerable.Repeat("</a>", 5000)))) },
            { "huge document", Secured(Shipment(doc).Replace("WB-1", new string('W', 12 * 1024 * 1024))) },
            { "wrong body namespace", Secured(Shipment(doc).Replace(ErpHubContract.Namespace, "urn:not-the-erp-hub")) },
            { "wrong envelope namespace", Secured(Shipment(doc), "urn:not-soap") },
            { "missing security header", Envelopes.Envelope(Shipment(doc)) },
            { "wrong password", Envelopes.Envelope(Shipment(doc), Envelopes.Security(ErpTestPartners.PushUsername, "not-the-password")) },
            { "truncated", Secured(Shipment(doc))[..200] },
            { "not xml", "{\"documentId\":\"" + doc + "\"}" },
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_or_malformed_xml_is_a_fault_and_records_nothing(string what, string body)
    {
        var before = await Counts();
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "text/xml; charset=utf-8");
        using var request = new HttpRequestMessage(HttpMethod.Post, ErpHubContract.DefaultPath) { Content = content };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{ErpHubContract.Actions.ReportShipment}\"");
        var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 600 && response.StatusCode != HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode}");
        Assert.Contains("Fault", answer);
        Assert.DoesNotContain("root:", answer); // /etc/passwd never read into an answer
        Assert.Equal(before, await Counts());

        // Still serving: a good call right after is answered (an unknown order is a proper client fault).
        var good = await Envelopes.PostSoap11Async(http, new Uri(hub.BaseUrl + ErpHubContract.DefaultPath), Secured(Shipment("GOOD-" + Guid.NewGuid().ToString("N"))),
            $"\"{ErpHubContract.Actions.ReportShipment}\"");
        Assert.Contains("UNKNOWN_ORDER", good.Body);
    }

    private async Task<(int Documents, int Shipments)> Counts()
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return (await db.Set<ErpInboundDocument>().CountAsync(), await db.Set<ErpShipment>().CountAsync());
    }
}
