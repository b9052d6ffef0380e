using System.Net;
using System.Xml.Linq;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>How requests find their operation (SOAPAction variants, SOAP 1.2 action, WS-Addressing, body element), and fault shapes.</summary>
public sealed class DispatchTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await EchoService.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private Uri Open => _host.Url("open");

    private static string? Echoed(SoapHttpResult result, string element) =>
        result.Document.Descendants(XName.Get(element, EchoService.Ns)).SingleOrDefault()?.Value;

    [Theory]
    [InlineData("\"urn:test:echo/Echo\"")]
    [InlineData("urn:test:echo/Echo")]
    [InlineData(" \"urn:test:echo/Echo\" ")]
    [InlineData("\"\"")]
    [InlineData(null)]
    public async Task Soap11_dispatches_with_quoted_unquoted_empty_or_missing_soap_action(string? soapAction)
    {
        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody("x")), soapAction);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("x", Echoed(result, "text"));
        Assert.Equal("Soap11", Echoed(result, "version"));
        Assert.Equal("text/xml", result.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("application/soap+xml; charset=utf-8; action=\"urn:test:echo/Echo\"")]
    [InlineData("application/soap+xml; action=urn:test:echo/Echo; charset=utf-8")]
    [InlineData("application/soap+xml")]
    public async Task Soap12_dispatches_with_or_without_the_action_parameter(string contentType)
    {
        var result = await Envelopes.PostAsync(_host.Http, Open, System.Text.Encoding.UTF8.GetBytes(Envelopes.Envelope(EchoService.EchoBody("y"), null, Envelopes.Soap12)), contentType, null);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("Soap12", Echoed(result, "version"));
        Assert.Equal("application/soap+xml", result.ContentType?.MediaType);
        Assert.StartsWith(EchoService.EchoAction, Echoed(result, "action"));
    }

    [Fact]
    public async Task Soap12_envelope_sent_as_text_xml_is_accepted_and_answered_in_soap12()
    {
        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody(), null, Envelopes.Soap12), EchoService.EchoAction);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(Envelopes.Soap12, result.Document.Root!.Name.NamespaceName);
    }

    [Theory]
    [InlineData("http://www.w3.org/2005/08/addressing")]
    [InlineData("http://schemas.xmlsoap.org/ws/2004/08/addressing")]
    public async Task Ws_addressing_action_header_dispatches_when_the_transport_carries_none(string wsa)
    {
        var header = $"<a:Action xmlns:a=\"{wsa}\" s:mustUnderstand=\"1\">{EchoService.EchoAction}</a:Action><a:To xmlns:a=\"{wsa}\">{Open}</a:To>";

        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody(), header), null);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.StartsWith(EchoService.EchoAction, Echoed(result, "action"));
    }

    [Fact]
    public async Task Action_that_names_another_operation_than_the_body_is_a_client_fault()
    {
        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody()), EchoService.ExplodeAction);

        result.AssertClientFault();
        Assert.Contains("does not match", result.FaultReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Envelopes.Soap11, "1")]
    [InlineData(Envelopes.Soap12, "true")]
    public async Task Unknown_mandatory_header_is_a_must_understand_fault(string ns, string mustUnderstand)
    {
        var header = $"<t:Transaction xmlns:t=\"urn:tx\" s:mustUnderstand=\"{mustUnderstand}\">5</t:Transaction>";

        var result = ns == Envelopes.Soap11
            ? await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody(), header, ns), EchoService.EchoAction)
            : await Envelopes.PostSoap12Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody(), header, ns), EchoService.EchoAction);

        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        Assert.Equal(XName.Get("MustUnderstand", ns), result.FaultCode);
    }

    [Theory]
    [InlineData("<t:Trace xmlns:t=\"urn:trace\">1</t:Trace>")]
    [InlineData("<t:Trace xmlns:t=\"urn:trace\" s:mustUnderstand=\"0\">1</t:Trace>")]
    [InlineData("<t:Trace xmlns:t=\"urn:trace\" s:mustUnderstand=\"1\" s:actor=\"urn:some-intermediary\">1</t:Trace>")]
    public async Task Optional_or_foreign_actor_headers_are_ignored(string header)
    {
        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(EchoService.EchoBody(), header), EchoService.EchoAction);

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Theory]
    [InlineData(Envelopes.Soap11, "Server")]
    [InlineData(Envelopes.Soap12, "Receiver")]
    public async Task Unhandled_handler_exception_is_a_server_fault_without_internals_and_is_logged(string ns, string code)
    {
        var body = $"<Explode xmlns=\"{EchoService.Ns}\"><how>crash</how></Explode>";
        var result = ns == Envelopes.Soap11
            ? await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(body, null, ns), EchoService.ExplodeAction)
            : await Envelopes.PostSoap12Async(_host.Http, Open, Envelopes.Envelope(body, null, ns), EchoService.ExplodeAction);

        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        Assert.Equal(XName.Get(code, ns), result.FaultCode);
        Assert.Equal("The server was unable to process the request due to an internal error.", result.FaultReason);
        Assert.DoesNotContain("hunter2", result.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", result.Body, StringComparison.Ordinal);
        Assert.Contains(TestLog.Snapshot(), l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handler_fault_detail_without_its_own_namespace_takes_the_service_namespace()
    {
        var body = $"<Explode xmlns=\"{EchoService.Ns}\"><how>fault</how></Explode>";

        var result = await Envelopes.PostSoap11Async(_host.Http, Open, Envelopes.Envelope(body), EchoService.ExplodeAction);

        result.AssertClientFault();
        Assert.Equal(XName.Get("PlainDetail", EchoService.Ns), result.FaultDetail?.Name);
        Assert.Equal("because", result.FaultDetail?.Element(XName.Get("Why", EchoService.Ns))?.Value);
    }

    [Fact]
    public async Task Get_without_wsdl_describes_the_service_and_wsdl_without_a_document_is_404()
    {
        var help = await _host.Http.GetAsync(Open);
        var wsdl = await _host.Http.GetAsync(Open + "?wsdl");

        Assert.Equal(HttpStatusCode.OK, help.StatusCode);
        Assert.Contains("EchoService", await help.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, wsdl.StatusCode);
    }
}
