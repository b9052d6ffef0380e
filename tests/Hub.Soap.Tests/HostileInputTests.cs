using System.Net;
using System.Text;
using Hub.Soap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hub.Soap.Tests;

/// <summary>
/// Hostile and broken input against the ERP simulator: every case is answered with a SOAP Client fault (HTTP 500, as WCF),
/// the server keeps serving, nothing external is fetched, and the simulator records nothing.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const string Marker = "HOSTILE";
    private ErpSimulatorHost _erp = null!;
    private int _canaryHits;

    public async Task InitializeAsync()
    {
        _erp = await ErpSimulatorHost.StartAsync();
    }

    public Task DisposeAsync() => _erp.DisposeAsync().AsTask();

    private HttpClient Http => _erp.Host.Http;

    private static string Body(string suffix = "") => Envelopes.CreateSalesOrder($"{Marker}-{Guid.NewGuid():N}{suffix}");

    private async Task AssertClientFaultAndNothingRecordedAsync(Func<Task<SoapHttpResult>> send, string envelopeNs = Envelopes.Soap11, string? reasonContains = null)
    {
        var result = await send();
        result.AssertClientFault(envelopeNs);
        if (reasonContains is not null)
        {
            Assert.Contains(reasonContains, result.FaultReason, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(_erp.Simulator.Received, r => r.DocumentId.StartsWith(Marker, StringComparison.Ordinal));
        await AssertStillServesAsync();
    }

    private async Task AssertStillServesAsync()
    {
        var probe = await Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Envelopes.CreateSalesOrder("PROBE-" + Guid.NewGuid().ToString("N")), Envelopes.Security()));
        Assert.Equal(HttpStatusCode.OK, probe.Status);
    }

    [Fact]
    public Task Billion_laughs_entity_expansion_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
        {
            var dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
            for (var i = 1; i <= 9; i++)
            {
                dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : (i - 1).ToString())};", 10))}\">");
            }

            dtd.Append("]>");
            var envelope = dtd + Envelopes.Envelope(Body().Replace("<customerCode>C-100</customerCode>", "<customerCode>&lol9;</customerCode>", StringComparison.Ordinal), Envelopes.Security());
            return Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, envelope);
        }, reasonContains: "DTD");

    [Fact]
    public async Task External_entity_is_a_client_fault_and_is_never_fetched()
    {
        await using var canary = await TestHost.StartAsync(_ => { }, app => app.MapGet("/canary", () =>
        {
            Interlocked.Increment(ref _canaryHits);
            return "C-100";
        }));

        foreach (var system in new[] { "file:///etc/passwd", canary.Url("canary").ToString() })
        {
            var envelope = $"<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"{system}\">]>" +
                           Envelopes.Envelope(Body().Replace("<customerCode>C-100</customerCode>", "<customerCode>&xxe;</customerCode>", StringComparison.Ordinal), Envelopes.Security());
            await AssertClientFaultAndNothingRecordedAsync(() => Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, envelope), reasonContains: "DTD");
        }

        Assert.Equal(0, Volatile.Read(ref _canaryHits));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Body_over_the_size_limit_is_a_client_fault(bool chunked) =>
        AssertClientFaultAndNothingRecordedAsync(() =>
        {
            var padding = new string('x', 2 * 1024 * 1024);
            var envelope = Envelopes.Envelope(Body().Replace("<orderNumber>ORD-1</orderNumber>", $"<orderNumber>{padding}</orderNumber>", StringComparison.Ordinal), Envelopes.Security());
            return Envelopes.PostAsync(Http, _erp.ServiceUrl, Encoding.UTF8.GetBytes(envelope), "text/xml; charset=utf-8", "\"" + Envelopes.CreateAction + "\"", chunked);
        }, reasonContains: "maximum");

    [Fact]
    public Task Deep_nesting_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
        {
            var depth = 100_000;
            var nested = string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
            var envelope = Envelopes.Envelope(Body().Replace("<customerCode>C-100</customerCode>", $"<customerCode>{nested}</customerCode>", StringComparison.Ordinal), Envelopes.Security());
            return Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, envelope);
        }, reasonContains: "nested deeper");

    [Fact]
    public Task Nesting_just_past_the_default_limit_of_64_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
        {
            // Envelope(1) Body(2) CreateSalesOrder(3) customerCode(4) + 61 = 65 levels.
            var nested = string.Concat(Enumerable.Repeat("<a>", 61)) + string.Concat(Enumerable.Repeat("</a>", 61));
            var envelope = Envelopes.Envelope(Body().Replace("<customerCode>C-100</customerCode>", $"<customerCode>{nested}</customerCode>", StringComparison.Ordinal), Envelopes.Security());
            return Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, envelope);
        }, reasonContains: "nested deeper than 64");

    [Fact]
    public void Safe_xml_accepts_exactly_the_maximum_depth_and_refuses_one_more()
    {
        static byte[] Nested(int depth) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)));

        Assert.NotNull(Hub.Soap.Xml.SafeXml.Load(Nested(64), 64).Root);
        var refused = Assert.Throws<Hub.Soap.Xml.SafeXmlException>(() => Hub.Soap.Xml.SafeXml.Load(Nested(65), 64));
        Assert.Equal(Hub.Soap.Xml.SafeXmlProblem.TooDeep, refused.Problem);
    }

    [Theory]
    [InlineData("http://schemas.xmlsoap.org/soap/envelope")]
    [InlineData("urn:not-soap")]
    [InlineData("")]
    public Task Wrong_envelope_namespace_is_a_client_fault(string ns) =>
        AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Body(), Envelopes.Security()).Replace($"xmlns:s=\"{Envelopes.Soap11}\"", ns.Length == 0 ? "xmlns:s=\"urn:x\"" : $"xmlns:s=\"{ns}\"", StringComparison.Ordinal)));

    [Fact]
    public Task Root_that_is_not_an_envelope_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() => Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Body()), reasonContains: "not a SOAP envelope");

    [Fact]
    public Task Missing_body_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, $"<s:Envelope xmlns:s=\"{Envelopes.Soap11}\"><s:Header>{Envelopes.Security()}</s:Header></s:Envelope>"),
            reasonContains: "no Body");

    [Theory]
    [InlineData(Envelopes.Soap11)]
    [InlineData(Envelopes.Soap12)]
    public Task Body_without_an_element_is_a_client_fault(string ns) =>
        AssertClientFaultAndNothingRecordedAsync(
            () => ns == Envelopes.Soap11
                ? Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope("  ", Envelopes.Security(), ns))
                : Envelopes.PostSoap12Async(Http, _erp.ServiceUrl, Envelopes.Envelope("  ", Envelopes.Security(), ns)),
            ns,
            "no element");

    [Fact]
    public Task Empty_request_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() => Envelopes.PostAsync(Http, _erp.ServiceUrl, [], "text/xml", null));

    public static TheoryData<string, string> BrokenSecurityHeaders => new()
    {
        { "missing", string.Empty },
        { "empty Security", $"<wsse:Security xmlns:wsse=\"{Envelopes.Wsse}\"/>" },
        { "no password", $"<wsse:Security xmlns:wsse=\"{Envelopes.Wsse}\"><wsse:UsernameToken><wsse:Username>{TestCredentials.Username}</wsse:Username></wsse:UsernameToken></wsse:Security>" },
        { "wrong password", Envelopes.Security(password: "guess") },
        { "unknown user", Envelopes.Security(username: "mallory") },
        { "garbled nonce", Envelopes.Security().Replace("<wsse:Nonce>", "<wsse:Nonce>!!not-base64!!", StringComparison.Ordinal) },
        { "garbled created", Envelopes.Security().Replace("<wsu:Created>", "<wsu:Created>yesterday", StringComparison.Ordinal) },
        { "garbled digest", Envelopes.Security(passwordOverride: "%%%") },
        { "unknown password type", Envelopes.Security().Replace("#PasswordDigest", "#PasswordMagic", StringComparison.Ordinal) },
        { "stale created", Envelopes.Security(created: DateTimeOffset.UtcNow.AddMinutes(-6)) },
        { "future created", Envelopes.Security(created: DateTimeOffset.UtcNow.AddMinutes(10)) },
        { "two tokens", Envelopes.Security().Replace("</wsse:Security>", "", StringComparison.Ordinal) + Envelopes.Security().Split("<wsse:UsernameToken>")[1].Insert(0, "<wsse:UsernameToken>") },
        { "digest without nonce", System.Text.RegularExpressions.Regex.Replace(Envelopes.Security(), "<wsse:Nonce>.*?</wsse:Nonce>", string.Empty) },
        { "not xml-dsig but junk element", $"<wsse:Security xmlns:wsse=\"{Envelopes.Wsse}\"><junk>\u00e9\u0000</junk></wsse:Security>".Replace("\u0000", string.Empty, StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(BrokenSecurityHeaders))]
    public Task Missing_or_garbled_security_header_is_a_generic_authentication_fault(string name, string header)
    {
        Assert.NotNull(name);
        return AssertClientFaultAndNothingRecordedAsync(
            async () =>
            {
                var result = await Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Body(), header.Length == 0 ? null : header));
                Assert.Equal("Authentication failed.", result.FaultReason);
                Assert.Null(result.FaultDetail);
                return result;
            });
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("multipart/related; boundary=x")]
    [InlineData(null)]
    public Task Wrong_content_type_is_a_client_fault(string? contentType) =>
        AssertClientFaultAndNothingRecordedAsync(
            () => Envelopes.PostAsync(Http, _erp.ServiceUrl, Encoding.UTF8.GetBytes(Envelopes.Envelope(Body(), Envelopes.Security())), contentType, "\"" + Envelopes.CreateAction + "\""),
            reasonContains: "content type");

    [Fact]
    public async Task Random_bytes_are_always_client_faults_and_never_crash_the_service()
    {
        var random = new Random(20250301);
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            if (i % 4 == 0 && bytes.Length > 10)
            {
                // Sometimes start like XML to get past the first byte.
                Encoding.ASCII.GetBytes($"<s:Envelope xmlns:s=\"{Envelopes.Soap11}\">").AsSpan().TryCopyTo(bytes);
            }

            var soap12 = i % 2 == 1;
            var result = await Envelopes.PostAsync(Http, _erp.ServiceUrl, bytes, soap12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8", soap12 ? null : "\"x\"");
            result.AssertClientFault(soap12 ? Envelopes.Soap12 : Envelopes.Soap11);
        }

        Assert.DoesNotContain(_erp.Simulator.Received, r => r.DocumentId.StartsWith(Marker, StringComparison.Ordinal));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Unknown_action_is_a_client_fault_never_an_empty_202()
    {
        await AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Body(), Envelopes.Security()), "\"urn:crm-hub:erp-sales:v1/DropDatabase\""), reasonContains: "not supported");
        await AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap12Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Body(), Envelopes.Security(), Envelopes.Soap12), "urn:nope"), Envelopes.Soap12, "not supported");
    }

    [Fact]
    public Task Unknown_body_element_without_action_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope("<DropDatabase xmlns=\"urn:crm-hub:erp-sales:v1\"/>", Envelopes.Security()), null),
            reasonContains: "not an operation");

    [Fact]
    public Task Body_that_does_not_match_the_schema_types_is_a_client_fault() =>
        AssertClientFaultAndNothingRecordedAsync(() =>
            Envelopes.PostSoap11Async(Http, _erp.ServiceUrl, Envelopes.Envelope(Body().Replace("<quantity>2</quantity>", "<quantity>two</quantity>", StringComparison.Ordinal), Envelopes.Security())),
            reasonContains: "could not be read");

    [Fact]
    public async Task Methods_other_than_get_and_post_are_refused_with_405()
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Put, _erp.ServiceUrl) { Content = new StringContent("x") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
