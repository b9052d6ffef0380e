using System.Net;
using System.Text;
using System.Xml.Linq;
using Crm.Contracts.Soap.ErpSales;
using Hub.Simulators.Erp;
using Hub.Soap.Client;
using Hub.Soap.Tests.Infrastructure;
using Hub.Soap.Xml;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Hub.Soap.Tests;

/// <summary>Our SoapClient against the ERP simulator: typed calls, faults, retries on transient failures only, timeout, circuit breaker.</summary>
public sealed class SoapClientTests : IAsyncLifetime
{
    private ErpSimulatorHost _erp = null!;

    public async Task InitializeAsync() => _erp = await ErpSimulatorHost.StartAsync();

    public Task DisposeAsync() => _erp.DisposeAsync().AsTask();

    private SoapClient Client(SoapVersion version = SoapVersion.Soap11, bool digest = true, Action<SoapResilienceOptions>? resilience = null, HttpMessageHandler? handler = null, string path = "erp/sales")
    {
        var options = new SoapClientOptions
        {
            Endpoint = _erp.Host.Url(path),
            Version = version,
            Username = TestCredentials.Username,
            Password = TestCredentials.Password,
            UsePasswordDigest = digest,
            Resilience = { RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200), AttemptTimeout = TimeSpan.FromSeconds(10) },
        };
        resilience?.Invoke(options.Resilience);
        return new SoapClient(new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }), options);
    }

    private static CreateSalesOrderRequest Order(string documentId, string customer = "C-100") => new()
    {
        DocumentId = documentId,
        OrderNumber = "ORD-" + documentId,
        CustomerCode = customer,
        TotalAmount = 18m,
        Lines = [new SalesOrderLine { ProductCode = "P-1", SpecModel = "M-1", Quantity = 2, UnitPrice = 10m, Discount = 0.1m }],
    };

    private static Task<CreateSalesOrderResponse> CreateAsync(SoapClient client, CreateSalesOrderRequest order) =>
        client.CallAsync<CreateSalesOrderRequest, CreateSalesOrderResponse>(ErpSalesContract.Actions.CreateSalesOrder, order);

    private ErpReceivedDocument Record(string documentId) => Assert.Single(_erp.Simulator.Received, r => r.DocumentId == documentId);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Theory]
    [InlineData(SoapVersion.Soap11, true)]
    [InlineData(SoapVersion.Soap11, false)]
    [InlineData(SoapVersion.Soap12, true)]
    [InlineData(SoapVersion.Soap12, false)]
    public async Task Call_returns_the_typed_response_over_soap11_and_soap12(SoapVersion version, bool digest)
    {
        var id = NewId("CLIENT");

        var response = await CreateAsync(Client(version, digest), Order(id));

        Assert.StartsWith("SO", response.SalesOrderNumber);
        var record = Record(id);
        Assert.Equal((1, 1, version.ToString()), (record.Calls, record.Effects, record.LastSoapVersion));
    }

    [Fact]
    public async Task Other_operations_work_and_cancel_reports_whether_there_was_something_to_cancel()
    {
        var client = Client(SoapVersion.Soap12);
        var order = Order(NewId("CANCEL"));
        await CreateAsync(client, order);

        var cancelled = await client.CallAsync<CancelSalesOrderRequest, CancelSalesOrderResponse>(ErpSalesContract.Actions.CancelSalesOrder,
            new CancelSalesOrderRequest { DocumentId = NewId("CXL"), OrderNumber = order.OrderNumber, Reason = "customer" });
        var nothing = await client.CallAsync<CancelSalesOrderRequest, CancelSalesOrderResponse>(ErpSalesContract.Actions.CancelSalesOrder,
            new CancelSalesOrderRequest { DocumentId = NewId("CXL"), OrderNumber = "ORD-UNKNOWN", Reason = "customer" });
        var provisioned = await client.CallAsync<ProvisionResourcesRequest, ProvisionResourcesResponse>(ErpSalesContract.Actions.ProvisionResources,
            new ProvisionResourcesRequest { DocumentId = NewId("PRV"), OrderNumber = order.OrderNumber, ProductCode = "P-1", Quantity = 2 });

        Assert.True(cancelled.Cancelled);
        Assert.False(nothing.Cancelled);
        Assert.StartsWith("PRV", provisioned.ProvisioningId);

        var release = new ReleaseResourcesRequest { DocumentId = NewId("REL"), OrderNumber = order.OrderNumber, ProvisioningId = provisioned.ProvisioningId, Reason = "customer" };
        var released = await client.CallAsync<ReleaseResourcesRequest, ReleaseResourcesResponse>(ErpSalesContract.Actions.ReleaseResources, release);
        var again = await client.CallAsync<ReleaseResourcesRequest, ReleaseResourcesResponse>(ErpSalesContract.Actions.ReleaseResources, release);
        var unknown = await client.CallAsync<ReleaseResourcesRequest, ReleaseResourcesResponse>(ErpSalesContract.Actions.ReleaseResources,
            new ReleaseResourcesRequest { DocumentId = NewId("REL"), OrderNumber = order.OrderNumber, ProvisioningId = "PRV-UNKNOWN", Reason = "customer" });
        Assert.True(released.Released);
        Assert.True(again.Released); // the same document again answers as the first time
        Assert.False(unknown.Released);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11)]
    [InlineData(SoapVersion.Soap12)]
    public async Task Client_fault_surfaces_as_SoapFaultException_Client_with_typed_detail_and_is_not_retried(SoapVersion version)
    {
        var id = NewId("REJECT");

        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => CreateAsync(Client(version), Order(id, "REJECT-7")));

        Assert.Equal(SoapFaultCode.Client, fault.Code);
        Assert.Equal(HttpStatusCode.InternalServerError, fault.HttpStatusCode);
        Assert.Equal(ErpSalesFaultCodes.CustomerRejected, fault.GetDetail<ErpSalesFault>()?.Code);
        Assert.Equal(id, fault.GetDetail<ErpSalesFault>()?.DocumentId);
        Assert.False(SoapClient.IsTransient(fault));
        Assert.Equal((1, 0), (Record(id).Calls, Record(id).Effects));
    }

    [Fact]
    public async Task Transient_503_is_retried_with_backoff_then_succeeds_and_creates_once()
    {
        var id = NewId("RETRY503");
        _erp.Simulator.FailNext(2, ErpFailureMode.Http503);

        var response = await CreateAsync(Client(), Order(id));

        Assert.StartsWith("SO", response.SalesOrderNumber);
        var record = Record(id);
        Assert.Equal((3, 2, 1), (record.Calls, record.TransientFailures, record.Effects));
    }

    [Fact]
    public async Task Server_fault_is_retried_then_succeeds()
    {
        var id = NewId("RETRYSRV");
        _erp.Simulator.FailNext(1, ErpFailureMode.ServerFault);

        await CreateAsync(Client(SoapVersion.Soap12), Order(id));

        Assert.Equal((2, 1, 1), (Record(id).Calls, Record(id).TransientFailures, Record(id).Effects));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts_and_surface_the_last_transient_error()
    {
        var id = NewId("GIVEUP");
        _erp.Simulator.FailNext(100, ErpFailureMode.Http503);
        try
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(Client(resilience: r => r.MaxRetryAttempts = 2), Order(id)));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
            Assert.Equal((3, 0), (Record(id).Calls, Record(id).Effects));
        }
        finally
        {
            _erp.Simulator.FailNext(0);
        }
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_transient_failures_and_then_fails_fast()
    {
        var client = Client(resilience: r =>
        {
            r.MaxRetryAttempts = 0;
            r.CircuitBreakerMinimumThroughput = 2;
            r.CircuitBreakerFailureRatio = 0.5;
            r.CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(10);
            r.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30);
        });
        _erp.Simulator.Options.Down = true;
        try
        {
            var first = NewId("CB");
            var second = NewId("CB");
            await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(client, Order(first)));
            await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(client, Order(second)));
            Assert.Equal(CircuitState.Open, client.CircuitState);

            var third = NewId("CB");
            await Assert.ThrowsAsync<BrokenCircuitException>(() => CreateAsync(client, Order(third)));
            Assert.DoesNotContain(_erp.Simulator.Received, r => r.DocumentId == third);
        }
        finally
        {
            _erp.Simulator.Options.Down = false;
        }
    }

    [Fact]
    public async Task Client_faults_do_not_open_the_circuit()
    {
        var client = Client(resilience: r =>
        {
            r.CircuitBreakerMinimumThroughput = 2;
            r.CircuitBreakerFailureRatio = 0.1;
        });

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<SoapFaultException>(() => CreateAsync(client, Order(NewId("CBREJ"), "REJECT-1")));
        }

        Assert.Equal(CircuitState.Closed, client.CircuitState);
    }

    [Fact]
    public async Task Attempt_timeout_is_transient_and_retried()
    {
        var id = NewId("SLOW");
        _erp.Simulator.Options.LatencyMs = 3000;
        try
        {
            await Assert.ThrowsAsync<TimeoutRejectedException>(() =>
                CreateAsync(Client(resilience: r => { r.AttemptTimeout = TimeSpan.FromMilliseconds(200); r.MaxRetryAttempts = 1; }), Order(id)));
        }
        finally
        {
            _erp.Simulator.Options.LatencyMs = 0;
        }

        Assert.DoesNotContain(_erp.Simulator.Received, r => r.DocumentId == id && r.Effects > 0);
    }

    [Fact]
    public async Task Http_4xx_without_a_soap_fault_is_not_retried()
    {
        var counter = new CountingHandler();
        var client = Client(handler: counter, path: "erp/nowhere");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(client, Order(NewId("404"))));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task Authentication_failure_is_a_client_fault_and_not_retried()
    {
        var counter = new CountingHandler();
        var client = new SoapClient(new HttpClient(counter), new SoapClientOptions
        {
            Endpoint = _erp.ServiceUrl,
            Username = TestCredentials.Username,
            Password = "wrong",
            Resilience = { RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
        });

        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => CreateAsync(client, Order(NewId("AUTH"))));

        Assert.Equal((SoapFaultCode.Client, "Authentication failed.", 1), (fault.Code, fault.Reason, counter.Count));
    }

    [Fact]
    public async Task Success_status_with_a_body_that_is_not_soap_is_a_protocol_error()
    {
        var client = new SoapClient(new HttpClient(new StubHandler(HttpStatusCode.OK, "<html>maintenance</html>", "text/html")), new SoapClientOptions { Endpoint = new Uri("http://stub/") });

        await Assert.ThrowsAsync<SoapProtocolException>(() => CreateAsync(client, Order("X")));
    }

    [Fact]
    public async Task Wrong_response_element_is_a_protocol_error()
    {
        var body = Envelopes.Envelope($"<CancelSalesOrderResponse xmlns=\"{ErpSalesContract.Namespace}\"><cancelled>true</cancelled></CancelSalesOrderResponse>");
        var client = new SoapClient(new HttpClient(new StubHandler(HttpStatusCode.OK, body, "text/xml")), new SoapClientOptions { Endpoint = new Uri("http://stub/") });

        await Assert.ThrowsAsync<SoapProtocolException>(() => CreateAsync(client, Order("X")));
    }

    [Theory]
    [InlineData("http://schemas.xmlsoap.org/soap/envelope/", "Client", SoapFaultCode.Client)]
    [InlineData("http://schemas.xmlsoap.org/soap/envelope/", "Client.Authentication", SoapFaultCode.Client)]
    [InlineData("http://schemas.xmlsoap.org/soap/envelope/", "Server", SoapFaultCode.Server)]
    [InlineData("http://www.w3.org/2003/05/soap-envelope", "Sender", SoapFaultCode.Client)]
    [InlineData("http://www.w3.org/2003/05/soap-envelope", "Receiver", SoapFaultCode.Server)]
    [InlineData("http://www.w3.org/2003/05/soap-envelope", "MustUnderstand", SoapFaultCode.MustUnderstand)]
    [InlineData("http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher", "InternalServiceFault", SoapFaultCode.Server)]
    [InlineData("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd", "FailedAuthentication", SoapFaultCode.Client)]
    public void Received_fault_codes_map_to_client_or_server(string ns, string local, SoapFaultCode expected) =>
        Assert.Equal(expected, SoapFaultReader.MapCode(XName.Get(local, ns)));

    [Fact]
    public async Task Wcf_style_soap11_internal_service_fault_is_parsed_as_a_server_fault_and_is_transient()
    {
        const string wcf = """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">a:InternalServiceFault</faultcode><faultstring xml:lang="en-US">The server was unable to process the request due to an internal error.</faultstring></s:Fault></s:Body></s:Envelope>""";
        var client = new SoapClient(new HttpClient(new StubHandler(HttpStatusCode.InternalServerError, wcf, "text/xml")), new SoapClientOptions
        {
            Endpoint = new Uri("http://stub/"),
            Resilience = { MaxRetryAttempts = 0, EnableCircuitBreaker = false },
        });

        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => CreateAsync(client, Order("X")));

        Assert.Equal(SoapFaultCode.Server, fault.Code);
        Assert.True(SoapClient.IsTransient(fault));
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class StubHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
