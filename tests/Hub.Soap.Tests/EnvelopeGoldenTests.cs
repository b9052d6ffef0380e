using System.Net;
using System.Text;
using System.Xml.Linq;
using Crm.Contracts.Soap.ErpSales;
using Hub.Soap.Client;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>Representative envelopes on the wire, compared to golden files after normalising.</summary>
public sealed class EnvelopeGoldenTests(ErpSimulatorFixture fixture) : IClassFixture<ErpSimulatorFixture>
{
    [Fact]
    public async Task Soap11_client_fault_envelope_matches_golden_file()
    {
        var result = await Envelopes.PostSoap11Async(fixture.Host.Host.Http, fixture.Host.ServiceUrl,
            Envelopes.Envelope(Envelopes.CreateSalesOrder("GOLDEN-11-" + Guid.NewGuid().ToString("N"), "REJECT-GOLDEN"), Envelopes.Security()));

        result.AssertClientFault(Envelopes.Soap11);
        Golden.AssertMatches("fault-soap11.xml", Golden.NormaliseXml(result.Body, "documentId"));
    }

    [Fact]
    public async Task Soap12_sender_fault_envelope_matches_golden_file()
    {
        var result = await Envelopes.PostSoap12Async(fixture.Host.Host.Http, fixture.Host.ServiceUrl,
            Envelopes.Envelope(Envelopes.CreateSalesOrder("GOLDEN-12-" + Guid.NewGuid().ToString("N"), "REJECT-GOLDEN"), Envelopes.Security(), Envelopes.Soap12));

        result.AssertClientFault(Envelopes.Soap12);
        Golden.AssertMatches("fault-soap12.xml", Golden.NormaliseXml(result.Body, "documentId"));
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, Envelopes.Soap11)]
    [InlineData(SoapVersion.Soap12, Envelopes.Soap12)]
    public async Task Fault_detail_element_carries_the_namespace_the_wsdl_declares(SoapVersion version, string envelopeNs)
    {
        var envelope = Envelopes.Envelope(Envelopes.CreateSalesOrder("DETAIL-" + Guid.NewGuid().ToString("N"), "REJECT-NS"), Envelopes.Security(), envelopeNs);
        var result = version == SoapVersion.Soap11
            ? await Envelopes.PostSoap11Async(fixture.Host.Host.Http, fixture.Host.ServiceUrl, envelope)
            : await Envelopes.PostSoap12Async(fixture.Host.Host.Http, fixture.Host.ServiceUrl, envelope);

        var wsdl = new WsdlFacts(XDocument.Parse(Crm.Contracts.Soap.SoapWsdlDocuments.ErpSalesService));
        var declared = wsdl.PartElement(wsdl.Message(wsdl.Definitions, "tns:ErpSalesFault"));
        Assert.Equal(declared, result.FaultDetail?.Name);
        Assert.Equal(declared.Namespace + "code", result.FaultDetail!.Elements().First().Name);
    }

    [Fact]
    public async Task Success_response_envelope_matches_golden_file()
    {
        var result = await Envelopes.PostSoap11Async(fixture.Host.Host.Http, fixture.Host.ServiceUrl,
            Envelopes.Envelope(Envelopes.CreateSalesOrder("GOLDEN-OK-" + Guid.NewGuid().ToString("N")), Envelopes.Security()));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("text/xml", result.ContentType?.MediaType);
        Assert.Equal("utf-8", result.ContentType?.CharSet);
        Golden.AssertMatches("response-soap11.xml", Golden.NormaliseXml(result.Body, "salesOrderNumber"));
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "client-request-soap11.xml")]
    [InlineData(SoapVersion.Soap12, "client-request-soap12.xml")]
    public async Task SoapClient_request_envelope_and_headers_match_golden_file(SoapVersion version, string golden)
    {
        var capture = new CapturingHandler();
        var client = new SoapClient(new HttpClient(capture), new SoapClientOptions
        {
            Endpoint = new Uri("http://erp.test/erp/sales"),
            Version = version,
            Username = "user",
            Password = "secret",
            Resilience = { MaxRetryAttempts = 0, EnableCircuitBreaker = false },
        });

        await client.CallAsync<CreateSalesOrderRequest, CreateSalesOrderResponse>(ErpSalesContract.Actions.CreateSalesOrder, new CreateSalesOrderRequest
        {
            DocumentId = "D-1", OrderNumber = "O-1", CustomerCode = "C-1", TotalAmount = 18m,
            Lines = [new SalesOrderLine { ProductCode = "P-1", SpecModel = "M-1", Quantity = 2, UnitPrice = 10m, Discount = 0.1m }],
        });

        var headers = version == SoapVersion.Soap11
            ? $"Content-Type: {capture.ContentType}\nSOAPAction: {capture.SoapAction}\n"
            : $"Content-Type: {capture.ContentType}\nSOAPAction: {capture.SoapAction ?? "(none)"}\n";
        Golden.AssertMatches(golden, headers + Golden.NormaliseXml(capture.Body!, "Password", "Nonce", "Created", "Id"));
        Assert.DoesNotContain("secret", capture.Body, StringComparison.Ordinal);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public string? Body { get; private set; }
        public string? ContentType { get; private set; }
        public string? SoapAction { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            ContentType = request.Content.Headers.ContentType?.ToString();
            SoapAction = request.Headers.TryGetValues("SOAPAction", out var values) ? string.Join(",", values) : null;
            var ns = ContentType!.StartsWith("application/soap+xml", StringComparison.Ordinal) ? Envelopes.Soap12 : Envelopes.Soap11;
            var response = Envelopes.Envelope($"""<CreateSalesOrderResponse xmlns="{ErpSalesContract.Namespace}"><salesOrderNumber>SO-1</salesOrderNumber></CreateSalesOrderResponse>""", null, ns);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(response, Encoding.UTF8, ns == Envelopes.Soap12 ? "application/soap+xml" : "text/xml") };
        }
    }
}
