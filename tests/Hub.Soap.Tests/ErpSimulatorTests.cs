using System.Net;
using System.Net.Http.Json;
using Crm.Contracts.Soap.ErpHub;
using Crm.Contracts.Soap.ErpSales;
using Hub.Simulators.Erp;
using Hub.Soap.Client;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>The ERP simulator's test hooks and its legacy-ERP side (ErpHubCaller, background shipment reports).</summary>
public sealed class ErpSimulatorTests : IAsyncLifetime
{
    private TestErpHub _hub = null!;
    private ErpSimulatorHost _erp = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestErpHub.StartAsync();
        _erp = await ErpSimulatorHost.StartAsync(o =>
        {
            o.ReportShipmentsToHub = _hub.Host.BaseAddress.ToString();
            o.ShipmentDelay = TimeSpan.FromMilliseconds(50);
            o.HubUsername = TestErpHub.Username;
            o.HubPassword = TestErpHub.Password;
            o.HubSoapVersion = SoapVersion.Soap12;
        });
    }

    public async Task DisposeAsync()
    {
        await _erp.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private SoapClient SalesClient() => new(new HttpClient(new SocketsHttpHandler { UseProxy = false }), new SoapClientOptions
    {
        Endpoint = _erp.ServiceUrl,
        Username = TestCredentials.Username,
        Password = TestCredentials.Password,
        Resilience = { RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
    });

    private static CreateSalesOrderRequest Order(string documentId, string customer = "C-100") => new()
    {
        DocumentId = documentId,
        OrderNumber = "ORD-" + documentId,
        CustomerCode = customer,
        TotalAmount = 25.5m,
        Lines = [new SalesOrderLine { ProductCode = "P-1", Quantity = 2, UnitPrice = 10m }, new SalesOrderLine { ProductCode = "P-2", Quantity = 1, UnitPrice = 5.5m }],
    };

    private static Task<CreateSalesOrderResponse> CreateAsync(SoapClient client, CreateSalesOrderRequest order) =>
        client.CallAsync<CreateSalesOrderRequest, CreateSalesOrderResponse>(ErpSalesContract.Actions.CreateSalesOrder, order);

    [Fact]
    public async Task Simulator_reports_one_shipment_per_new_sales_order_to_the_hub_with_its_username_token()
    {
        var client = SalesClient();
        var order = Order("SHIP-" + Guid.NewGuid().ToString("N"));
        var created = await CreateAsync(client, order);

        await Poll.UntilAsync(() => _hub.Shipments.Any(s => s.Request.OrderNumber == order.OrderNumber), TimeSpan.FromSeconds(10), "shipment reported");
        var (shipment, partner) = _hub.Shipments.Single(s => s.Request.OrderNumber == order.OrderNumber);
        Assert.Equal(TestErpHub.PartnerId, partner);
        Assert.Equal($"ERP-SHP-{created.SalesOrderNumber}", shipment.DocumentId);
        Assert.Equal([("P-1", 2), ("P-2", 1)], shipment.Lines.Select(l => (l.ProductCode, l.Quantity)));
        Assert.Equal(TimeSpan.Zero, shipment.ShippedAt.Offset);

        // A repeat creates nothing, so reports nothing: once a later order's shipment has arrived, the first is still single.
        await CreateAsync(client, order);
        var later = Order("SHIP-" + Guid.NewGuid().ToString("N"));
        await CreateAsync(client, later);
        await Poll.UntilAsync(() => _hub.Shipments.Any(s => s.Request.OrderNumber == later.OrderNumber), TimeSpan.FromSeconds(10), "later shipment reported");
        Assert.Single(_hub.Shipments, s => s.Request.OrderNumber == order.OrderNumber);

        var reports = await _erp.Host.Http.GetFromJsonAsync<List<ErpShipmentReport>>("/sim/erp/shipments");
        var report = Assert.Single(reports!, r => r.OrderNumber == order.OrderNumber);
        Assert.True(report.Delivered);
        Assert.True(report.Accepted);
        Assert.StartsWith("RCPT-", report.ReceiptId);
    }

    [Fact]
    public async Task Rejected_orders_are_not_shipped()
    {
        var client = SalesClient();
        var rejected = Order("SHIPREJ-" + Guid.NewGuid().ToString("N"), "REJECT-9");
        var accepted = Order("SHIPOK-" + Guid.NewGuid().ToString("N"));

        await Assert.ThrowsAsync<Hub.Soap.SoapFaultException>(() => CreateAsync(client, rejected));
        await CreateAsync(client, accepted);

        await Poll.UntilAsync(() => _hub.Shipments.Any(s => s.Request.OrderNumber == accepted.OrderNumber), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(_hub.Shipments, s => s.Request.OrderNumber == rejected.OrderNumber);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11)]
    [InlineData(SoapVersion.Soap12)]
    public async Task ErpHubCaller_calls_every_hub_operation(SoapVersion version)
    {
        var caller = new ErpHubCaller(new HttpClient(new SocketsHttpHandler { UseProxy = false }), new ErpHubCallerOptions
        {
            HubBaseUrl = _hub.Host.BaseAddress,
            Username = TestErpHub.Username,
            Password = TestErpHub.Password,
            Version = version,
        });
        var at = new DateTime(2025, 3, 1, 10, 0, 0, DateTimeKind.Utc);

        var shipment = await caller.ReportShipmentAsync(new ReportShipmentRequest { DocumentId = "S-1", OrderNumber = "O", ShipmentNumber = "SH", ShippedAt = at, Lines = [new ShipmentLine { ProductCode = "P", Quantity = 1 }] });
        var again = await caller.ReportShipmentAsync(new ReportShipmentRequest { DocumentId = "S-1", OrderNumber = "O", ShipmentNumber = "SH", ShippedAt = at, Lines = [new ShipmentLine { ProductCode = "P", Quantity = 1 }] });
        var invoice = await caller.ReportInvoiceAsync(new ReportInvoiceRequest { DocumentId = "I-1", OrderNumber = "O", InvoiceNumber = "INV", Amount = 10m, IssuedAt = at });
        var payment = await caller.ReportPaymentReceiptAsync(new ReportPaymentReceiptRequest { DocumentId = "P-1", OrderNumber = "O", ReceiptNumber = "R", Amount = 10m, ReceivedAt = at });
        var stock = await caller.ReportStockLevelAsync(new ReportStockLevelRequest { DocumentId = "ST-1", ProductCode = "P", Warehouse = "W", Quantity = 3 });
        var product = await caller.ReportProductChangeAsync(new ReportProductChangeRequest { DocumentId = "PC-1", ProductCode = "P", Name = "Widget", State = "Active" });
        var customer = await caller.QueryCustomerAsync("C-1");
        var unknown = await caller.QueryCustomerAsync("C-404");
        var order = await caller.QueryOrderAsync("O-7");
        var documents = await caller.FetchOutboundDocumentsAsync(5);
        var acknowledged = await caller.AcknowledgeOutboundDocumentsAsync(documents.Documents.Select(d => d.DocumentId));

        Assert.True(shipment.Accepted);
        Assert.Equal(shipment.ReceiptId, again.ReceiptId);
        Assert.All(new[] { invoice.Accepted, payment.Accepted, stock.Accepted, product.Accepted }, Assert.True);
        Assert.Equal("Acme", customer.Customer?.Name);
        Assert.Null(unknown.Customer);
        Assert.Equal("O-7", order.Order?.OrderNumber);
        Assert.Equal(2, documents.Documents.Count);
        Assert.Equal("<customer code=\"C-1\"/>", documents.Documents[0].Payload);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), documents.Documents[0].CreatedAt);
        Assert.Equal(2, acknowledged.AcknowledgedCount);
    }

    [Fact]
    public async Task Received_endpoint_serves_every_call_by_document_id_as_json_and_delete_resets_it()
    {
        var client = SalesClient();
        var id = "JSON-" + Guid.NewGuid().ToString("N");
        await CreateAsync(client, Order(id));
        await CreateAsync(client, Order(id));

        var received = await _erp.Host.Http.GetFromJsonAsync<List<ErpReceivedDocument>>("/sim/erp/received");
        var record = Assert.Single(received!, r => r.DocumentId == id);
        Assert.Equal(("CreateSalesOrder", 2, 1, TestCredentials.PartnerId), (record.Operation, record.Calls, record.Effects, record.PartnerId));

        using var reset = await _erp.Host.Http.DeleteAsync("/sim/erp/received");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty((await _erp.Host.Http.GetFromJsonAsync<List<ErpReceivedDocument>>("/sim/erp/received"))!);
    }

    [Fact]
    public async Task Pushed_document_is_filed_once_apart_from_a_sales_order_of_the_same_id_and_one_without_payload_is_refused()
    {
        var client = SalesClient();
        var id = "so-" + Guid.NewGuid().ToString("N");
        await CreateAsync(client, Order(id));
        var document = new ReceiveDocumentRequest { DocumentId = id, Kind = "SalesOrder", Payload = "<CreateSalesOrder/>", CreatedAt = DateTime.UtcNow };

        var first = await client.CallAsync<ReceiveDocumentRequest, ReceiveDocumentResponse>(ErpSalesContract.Actions.ReceiveDocument, document);
        var again = await client.CallAsync<ReceiveDocumentRequest, ReceiveDocumentResponse>(ErpSalesContract.Actions.ReceiveDocument, document);
        var empty = await Assert.ThrowsAsync<Hub.Soap.SoapFaultException>(() => client.CallAsync<ReceiveDocumentRequest, ReceiveDocumentResponse>(
            ErpSalesContract.Actions.ReceiveDocument, new ReceiveDocumentRequest { DocumentId = "x-" + id, Kind = "CustomerChanged", CreatedAt = DateTime.UtcNow }));

        Assert.True(first.Received && again.Received);
        var pushed = Assert.Single(_erp.Simulator.Received, r => r.DocumentId == ErpSimulator.PushedDocumentKey(id));
        Assert.Equal(("ReceiveDocument", 2, 1, "SalesOrder"), (pushed.Operation, pushed.Calls, pushed.Effects, pushed.Result));
        Assert.Equal(1, Assert.Single(_erp.Simulator.Received, r => r.DocumentId == id).Effects);
        Assert.Equal((Hub.Soap.SoapFaultCode.Client, ErpSalesFaultCodes.InvalidRequest), (empty.Code, empty.GetDetail<ErpSalesFault>()?.Code));
    }

    [Fact]
    public async Task Behaviour_endpoint_takes_the_simulated_erp_down_and_back_up()
    {
        var client = new SoapClient(new HttpClient(new SocketsHttpHandler { UseProxy = false }), new SoapClientOptions
        {
            Endpoint = _erp.ServiceUrl,
            Username = TestCredentials.Username,
            Password = TestCredentials.Password,
            Resilience = { MaxRetryAttempts = 0, EnableCircuitBreaker = false },
        });

        (await _erp.Host.Http.PostAsJsonAsync("/sim/erp/behaviour", new ErpBehaviour(0, 0, ErpFailureMode.ServerFault, Down: true))).EnsureSuccessStatusCode();
        var down = await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(client, Order("DOWN-" + Guid.NewGuid().ToString("N"))));
        (await _erp.Host.Http.PostAsJsonAsync("/sim/erp/behaviour", new ErpBehaviour(0, 0, ErpFailureMode.ServerFault, Down: false))).EnsureSuccessStatusCode();
        var up = await CreateAsync(client, Order("UP-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.StartsWith("SO", up.SalesOrderNumber);
    }

    [Fact]
    public async Task Failure_rate_one_answers_every_call_with_a_server_fault_and_creates_nothing()
    {
        var id = "RATE-" + Guid.NewGuid().ToString("N");
        _erp.Simulator.Options.FailureRate = 1;
        try
        {
            var client = new SoapClient(new HttpClient(new SocketsHttpHandler { UseProxy = false }), new SoapClientOptions
            {
                Endpoint = _erp.ServiceUrl,
                Username = TestCredentials.Username,
                Password = TestCredentials.Password,
                Resilience = { MaxRetryAttempts = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10), EnableCircuitBreaker = false },
            });

            var fault = await Assert.ThrowsAsync<Hub.Soap.SoapFaultException>(() => CreateAsync(client, Order(id)));

            Assert.Equal(Hub.Soap.SoapFaultCode.Server, fault.Code);
            Assert.Equal(ErpSalesFaultCodes.Unavailable, fault.GetDetail<ErpSalesFault>()?.Code);
        }
        finally
        {
            _erp.Simulator.Options.FailureRate = 0;
        }

        var record = Assert.Single(_erp.Simulator.Received, r => r.DocumentId == id);
        Assert.Equal((2, 2, 0), (record.Calls, record.TransientFailures, record.Effects));
    }

    [Fact]
    public async Task Reusing_a_document_id_for_another_operation_is_a_client_fault()
    {
        var client = SalesClient();
        var id = "REUSE-" + Guid.NewGuid().ToString("N");
        await CreateAsync(client, Order(id));

        var fault = await Assert.ThrowsAsync<Hub.Soap.SoapFaultException>(() => client.CallAsync<CancelSalesOrderRequest, CancelSalesOrderResponse>(
            ErpSalesContract.Actions.CancelSalesOrder, new CancelSalesOrderRequest { DocumentId = id, OrderNumber = "ORD-" + id, Reason = "x" }));

        Assert.Equal(ErpSalesFaultCodes.DocumentIdConflict, fault.GetDetail<ErpSalesFault>()?.Code);
    }

    [Fact]
    public async Task Invalid_order_lines_are_a_client_fault_with_an_invalid_request_detail()
    {
        var order = Order("BAD-" + Guid.NewGuid().ToString("N"));
        order.Lines[0].Quantity = 0;

        var fault = await Assert.ThrowsAsync<Hub.Soap.SoapFaultException>(() => CreateAsync(SalesClient(), order));

        Assert.Equal((Hub.Soap.SoapFaultCode.Client, ErpSalesFaultCodes.InvalidRequest), (fault.Code, fault.GetDetail<ErpSalesFault>()?.Code));
    }
}
