using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using System.Xml.Schema;
using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Contracts.Soap;
using Crm.Domain.Orders;
using Hub.Adapters.Erp;
using Hub.Endpoints.Erp;
using Hub.Infrastructure;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Erp;

/// <summary>
/// The legacy ERP's side of /soap/erp on the embedded hub, driven by Python zeep from the served WSDL over SOAP 1.1 and 1.2
/// with UsernameToken (digest and text). Every response zeep received is validated against the WSDL's schema.
/// </summary>
[Collection("embedded")]
public sealed class ErpSoapInboundTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly Lazy<XmlSchemaSet> Schema = new(() => new WsdlFacts(XDocument.Parse(SoapWsdlDocuments.ErpHubService)).CompileSchemas());
    private static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    public static TheoryData<string, string> Bindings => new() { { "soap11", "yes" }, { "soap12", "no" } };

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Shipment_is_recorded_against_its_order_and_the_customer_is_told_once_even_when_repeated(string binding, string digest)
    {
        var (orderId, number) = await PlaceOrder();
        var documentId = "SHIP-" + Guid.NewGuid().ToString("N");

        var results = await Call("ReportShipment", Shipment(documentId, number, quantity: 1), binding, digest: digest, repeat: 2);

        var receipts = results.Select(r => Result(r).GetProperty("receiptId").GetString()).ToArray();
        Assert.All(results, r => Assert.True(Result(r).GetProperty("accepted").GetBoolean()));
        Assert.Equal(receipts[0], receipts[1]);
        var receiptId = Guid.Parse(receipts[0]!);
        var shipment = await Eventually.Get(() => Query(db => db.Set<ErpShipment>().AsNoTracking().Where(s => s.OrderNumber == number).ToListAsync()),
            rows => rows.Count > 0, Wait, "shipment recorded");
        var recorded = Assert.Single(shipment);
        Assert.Equal((receiptId, orderId, ErpTestPartners.PushPartner, documentId, "WB-1"),
            (recorded.ReceiptId, recorded.OrderId, recorded.PartnerId, recorded.DocumentId, recorded.ShipmentNumber));
        Assert.Equal([new ErpShipmentLine("BB-100M", 1)], recorded.Lines);
        Assert.Equal(new DateTime(2025, 3, 1, 2, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(recorded.ShippedAt, DateTimeKind.Utc));
        Assert.Equal(TimeSpan.FromHours(8), recorded.ShippedAtAsWritten.Offset);
        var told = await Eventually.Get(() => Audited("OrderShipped", receiptId.ToString()), rows => rows.Count > 0, Wait, "OrderShipped consumed");
        Assert.All(told, m => Assert.Contains(number, m.Body));
        Assert.Single(await Query(db => db.Set<ErpInboundDocument>().AsNoTracking().Where(d => d.DocumentId == documentId).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Same_document_id_with_a_different_body_is_a_client_fault_and_changes_nothing(string binding, string digest)
    {
        var (_, number) = await PlaceOrder();
        var documentId = "SHIP-" + Guid.NewGuid().ToString("N");
        var first = Result(Single(await Call("ReportShipment", Shipment(documentId, number, quantity: 1), binding, digest: digest)));

        var fault = Fault(Single(await Call("ReportShipment", Shipment(documentId, number, quantity: 2), binding, digest: digest)), binding);

        Assert.Equal(("DOCUMENT_ID_CONFLICT", documentId), (fault.GetProperty("detail").GetProperty("code").GetString(), fault.GetProperty("detail").GetProperty("documentId").GetString()));
        var receiptId = Guid.Parse(first.GetProperty("receiptId").GetString()!);
        await Eventually.Get(() => Query(db => db.Set<ErpShipment>().AsNoTracking().CountAsync(s => s.OrderNumber == number)), n => n > 0, Wait, "first shipment");
        var shipments = await Query(db => db.Set<ErpShipment>().AsNoTracking().Where(s => s.OrderNumber == number).ToListAsync());
        Assert.Equal(receiptId, Assert.Single(shipments).ReceiptId);
        Assert.Equal(1, Assert.Single(shipments).Lines.Single().Quantity);
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Invoice_and_payment_receipt_are_recorded_and_published(string binding, string digest)
    {
        var (orderId, number) = await PlaceOrder();
        await using var events = await Probe(typeof(OrderInvoiced));
        var invoiceDoc = "INV-" + Guid.NewGuid().ToString("N");
        var paymentDoc = "PAY-" + Guid.NewGuid().ToString("N");

        var invoice = Result(Single(await Call("ReportInvoice", new { documentId = invoiceDoc, orderNumber = number, invoiceNumber = "FP-0001", amount = 199.00m, issuedAt = "2025-03-02T09:30:00+08:00" }, binding, digest: digest)));
        var payment = Result(Single(await Call("ReportPaymentReceipt", new { documentId = paymentDoc, orderNumber = number, receiptNumber = "SK-0001", amount = 150.50m, receivedAt = "2025-03-03T10:00:00Z" }, binding, digest: digest)));

        var invoiceId = Guid.Parse(invoice.GetProperty("receiptId").GetString()!);
        var paymentId = Guid.Parse(payment.GetProperty("receiptId").GetString()!);
        var recordedInvoice = await Eventually.Get(() => Query(db => db.Set<ErpInvoice>().AsNoTracking().FirstOrDefaultAsync(i => i.ReceiptId == invoiceId)),
            i => i is not null, Wait, "invoice recorded");
        Assert.Equal((orderId, "FP-0001", 199.00m, new DateTime(2025, 3, 2, 1, 30, 0)), (recordedInvoice!.OrderId, recordedInvoice.InvoiceNumber, recordedInvoice.Amount, recordedInvoice.IssuedAt));
        Assert.Equal(new DateTimeOffset(2025, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)), recordedInvoice.IssuedAtAsWritten);
        Assert.Equal(TimeSpan.FromHours(8), recordedInvoice.IssuedAtAsWritten.Offset);
        var recordedPayment = await Eventually.Get(() => Query(db => db.Set<ErpPaymentReceipt>().AsNoTracking().FirstOrDefaultAsync(p => p.ReceiptId == paymentId)),
            p => p is not null, Wait, "payment recorded");
        Assert.Equal((orderId, "SK-0001", 150.50m), (recordedPayment!.OrderId, recordedPayment.ReceiptNumber, recordedPayment.Amount));
        await Eventually.Get(() => Audited("PaymentReceived", paymentId.ToString()), rows => rows.Count > 0, Wait, "PaymentReceived consumed");
        var published = await Eventually.Get(() => Task.FromResult(events.Received.OfType<OrderInvoiced>().Where(e => e.InvoiceId == invoiceId).ToList()),
            e => e.Count > 0, Wait, "OrderInvoiced published");
        Assert.Equal((orderId, number, "FP-0001", 199.00m), (published[0].OrderId, published[0].OrderNumber, published[0].InvoiceNumber, published[0].Amount));
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Payment_receipt_times_keep_the_erps_offset_through_the_store_the_event_and_the_order_query(string binding, string digest)
    {
        using var owner = await hub.SignInAsync("erp-offset-" + Guid.NewGuid().ToString("N")[..8]);
        var (orderId, number) = await PlaceOrder(owner.UserId);
        await using var events = await Probe(typeof(PaymentReceived));
        // 07:15 in Beijing is the previous evening in UTC: the business day must be the ERP's.
        var written = new[] { "2026-11-20T07:15:00+08:00", "2026-11-20T10:15:00Z", "2026-11-20T12:00:00" };
        var receipts = new List<Guid>();
        foreach (var (at, i) in written.Select((at, i) => (at, i)))
            receipts.Add(Guid.Parse(Result(Single(await Call("ReportPaymentReceipt",
                new { documentId = $"PAY-{i}-" + Guid.NewGuid().ToString("N"), orderNumber = number, receiptNumber = $"SK-{i}", amount = 10m, receivedAt = at },
                binding, digest: digest))).GetProperty("receiptId").GetString()!));
        DateTimeOffset[] expected =
        [
            new(2026, 11, 20, 7, 15, 0, TimeSpan.FromHours(8)),
            new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero),
            new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),   // no offset on the wire: UTC
        ];

        var stored = await Eventually.Get(() => Query(db => db.Set<ErpPaymentReceipt>().AsNoTracking().Where(p => p.OrderId == orderId).ToListAsync()),
            rows => rows.Count == 3, Wait, "three payment receipts recorded");
        Assert.Equal(expected.Select(e => (e, e.Offset)), receipts.Select(r => stored.Single(p => p.ReceiptId == r).ReceivedOnAsWritten).Select(t => (t, t.Offset)));

        var days = await Eventually.Get(() => Task.FromResult(events.Received.OfType<PaymentReceived>().Where(e => e.OrderId == orderId).ToList()),
            e => e.Count == 3, Wait, "PaymentReceived published");
        Assert.Equal(new DateOnly(2026, 11, 20), days.Single(e => e.ReceiptId == receipts[0]).ReceivedOn);

        var order = await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        var payments = order.GetProperty("payments").EnumerateArray().ToDictionary(p => Guid.Parse(p.GetProperty("receiptId").GetString()!),
            p => p.GetProperty("receivedOn").GetString()!);
        Assert.Equal(["2026-11-20T07:15:00+08:00", "2026-11-20T10:15:00+00:00", "2026-11-20T12:00:00+00:00"], receipts.Select(r => payments[r]));
    }

    [Fact]
    public async Task Payment_receipt_request_a_wsdl_client_sends_with_an_offset_matches_golden_file()
    {
        var (_, number) = await PlaceOrder();
        var sent = Single(await Call("ReportPaymentReceipt",
            new { documentId = "GOLDEN-" + Guid.NewGuid().ToString("N"), orderNumber = number, receiptNumber = "SK-0001", amount = 150.50m, receivedAt = "2026-11-20T10:15:00+08:00" },
            "soap11")).GetProperty("sent").GetString()!;

        Golden.AssertMatches("erp-hub-report-payment-receipt-request-zeep-soap11.xml",
            Golden.NormaliseXml(sent, "documentId", "orderNumber", "Password", "Nonce", "Created", "Id"));
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Stock_levels_and_product_changes_keep_the_latest_report_and_a_repeat_changes_nothing(string binding, string digest)
    {
        var product = "P-" + Guid.NewGuid().ToString("N")[..10];
        await using var events = await Probe(typeof(ErpStockLevelRecorded), typeof(ErpProductChanged));
        var firstStock = "STK-" + Guid.NewGuid().ToString("N");
        await Call("ReportStockLevel", new { documentId = firstStock, productCode = product, warehouse = "SH-01", quantity = 40 }, binding, digest: digest);
        var second = Result(Single(await Call("ReportStockLevel", new { documentId = "STK-" + Guid.NewGuid().ToString("N"), productCode = product, warehouse = "SH-01", quantity = 25 }, binding, digest: digest)));
        var secondId = Guid.Parse(second.GetProperty("receiptId").GetString()!);
        var level = await Eventually.Get(() => Query(db => db.Set<ErpStockLevel>().AsNoTracking().FirstOrDefaultAsync(s => s.ProductCode == product && s.ReceiptId == secondId)),
            s => s is not null, Wait, "second stock level in force");
        Assert.Equal(25, level!.Quantity);

        // The first report again: same answer as the first time, and the level stays the newer one.
        var replay = await Call("ReportStockLevel", new { documentId = firstStock, productCode = product, warehouse = "SH-01", quantity = 40 }, binding, digest: digest);
        Assert.True(Result(Single(replay)).GetProperty("accepted").GetBoolean());
        Assert.Equal(25, (await Query(db => db.Set<ErpStockLevel>().AsNoTracking().SingleAsync(s => s.ProductCode == product))).Quantity);

        var change = Result(Single(await Call("ReportProductChange", new { documentId = "PRD-" + Guid.NewGuid().ToString("N"), productCode = product, name = "Fibre 100M", specModel = "FTTH", state = "Discontinued" }, binding, digest: digest)));
        var changeId = Guid.Parse(change.GetProperty("receiptId").GetString()!);
        var recorded = await Eventually.Get(() => Query(db => db.Set<ErpProduct>().AsNoTracking().FirstOrDefaultAsync(p => p.ProductCode == product)),
            p => p is not null, Wait, "product recorded");
        Assert.Equal(("Fibre 100M", "FTTH", "Discontinued", changeId), (recorded!.Name, recorded.SpecModel, recorded.State, recorded.ReceiptId));
        await Eventually.Get(() => Task.FromResult(events.Received.OfType<ErpProductChanged>().Count(e => e.ProductCode == product)), n => n > 0, Wait, "ErpProductChanged published");
        // Two levels applied, the replayed older one not.
        var levels = await Eventually.Get(() => Task.FromResult(events.Received.OfType<ErpStockLevelRecorded>().Where(e => e.ProductCode == product).Select(e => e.Quantity).Order().ToList()),
            q => q.Count >= 2, Wait, "both stock levels published");
        Assert.Equal([25, 40], levels);
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Report_for_an_unknown_order_is_refused_and_its_document_id_stays_free(string binding, string digest)
    {
        var (_, number) = await PlaceOrder();
        var documentId = "SHIP-" + Guid.NewGuid().ToString("N");

        var fault = Fault(Single(await Call("ReportShipment", Shipment(documentId, "SO-NO-SUCH-ORDER", quantity: 1), binding, digest: digest)), binding);
        Assert.Equal("UNKNOWN_ORDER", fault.GetProperty("detail").GetProperty("code").GetString());
        Assert.Empty(await Query(db => db.Set<ErpInboundDocument>().AsNoTracking().Where(d => d.DocumentId == documentId).ToListAsync()));

        var corrected = Result(Single(await Call("ReportShipment", Shipment(documentId, number, quantity: 1), binding, digest: digest)));
        Assert.True(corrected.GetProperty("accepted").GetBoolean());
    }

    public static TheoryData<string, string, string> BadReports => new()
    {
        { "ReportShipment", """{"documentId":"BAD-1","orderNumber":"X","shipmentNumber":"WB","shippedAt":"2025-03-01T10:00:00","lines":{"line":[{"productCode":"P","quantity":0}]}}""", "soap11" },
        { "ReportShipment", """{"documentId":"  ","orderNumber":"X","shipmentNumber":"WB","shippedAt":"2025-03-01T10:00:00","lines":{"line":[{"productCode":"P","quantity":1}]}}""", "soap12" },
        { "ReportInvoice", """{"documentId":"BAD-2","orderNumber":"X","invoiceNumber":"FP","amount":-1,"issuedAt":"2025-03-01T10:00:00"}""", "soap11" },
        { "ReportPaymentReceipt", """{"documentId":"BAD-3","orderNumber":"X","receiptNumber":"SK","amount":0,"receivedAt":"2025-03-01T10:00:00"}""", "soap12" },
        { "ReportStockLevel", """{"documentId":"BAD-4","productCode":"P","warehouse":"W","quantity":-5}""", "soap11" },
        { "ReportProductChange", """{"documentId":"BAD-5","productCode":"P","name":"N","state":"Bogus"}""", "soap12" },
        { "FetchOutboundDocuments", """{"maxCount":0}""", "soap11" },
        { "AcknowledgeOutboundDocuments", """{"documentIds":{"documentId":[""]}}""", "soap12" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task Bad_input_is_a_client_fault_with_the_declared_detail_and_claims_nothing(string operation, string arguments, string binding)
    {
        var fault = Fault(Single(await CallJson(operation, arguments, binding)), binding);

        Assert.Equal("INVALID_REQUEST", fault.GetProperty("detail").GetProperty("code").GetString());
        Assert.Empty(await Query(db => db.Set<ErpInboundDocument>().AsNoTracking().Where(d => d.DocumentId.StartsWith("BAD-")).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Query_customer_answers_a_customer_of_the_crm_store_and_a_fault_for_an_unknown_code(string binding, string digest)
    {
        var code = "Q" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using (var phone = await hub.SignInAsync("erp-query-" + Guid.NewGuid().ToString("N")[..8]))
            Assert.Equal(System.Net.HttpStatusCode.Created, (await phone.PostAsync("/api/v1/customers",
                Customers.CustomersApiTests.NewCustomer(code, "杭州西湖电子有限公司", "0571-8888-0001", email: "buyer@xihu.example.com"))).StatusCode);

        var found = Result(Single(await Call("QueryCustomer", new { customerCode = code }, binding, digest: digest)));
        Assert.Equal((code, "杭州西湖电子有限公司", "active", "buyer@xihu.example.com"),
            (found.GetProperty("customerCode").GetString(), found.GetProperty("name").GetString(), found.GetProperty("status").GetString(),
             found.GetProperty("email").GetString()));

        var fault = Fault(Single(await Call("QueryCustomer", new { customerCode = "C-NO-SUCH" }, binding, digest: digest)), binding);
        Assert.Equal("UNKNOWN_CUSTOMER", fault.GetProperty("detail").GetProperty("code").GetString());
        Assert.Contains("C-NO-SUCH", fault.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Query_order_answers_the_orders_state_and_nothing_for_an_unknown_number(string binding, string digest)
    {
        var (_, number) = await PlaceOrder();

        var found = Result(Single(await Call("QueryOrder", new { orderNumber = number }, binding, digest: digest)));
        var missing = Single(await Call("QueryOrder", new { orderNumber = "SO-NO-SUCH" }, binding, digest: digest));

        Assert.Equal(number, found.GetProperty("orderNumber").GetString());
        Assert.False(string.IsNullOrEmpty(found.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("result").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task QueryOrder_lists_the_orders_shipments_invoices_and_payments_as_reported(string binding, string digest)
    {
        var (orderId, number) = await PlaceOrder();
        var before = Result(Single(await Call("QueryOrder", new { orderNumber = number }, binding, digest: digest)));
        var shipmentId = Result(Single(await Call("ReportShipment", Shipment("SHIP-" + Guid.NewGuid().ToString("N"), number, quantity: 2), binding, digest: digest)))
            .GetProperty("receiptId").GetString();
        Result(Single(await Call("ReportInvoice", new { documentId = "INV-" + Guid.NewGuid().ToString("N"), orderNumber = number, invoiceNumber = "FP-0009",
            amount = 199.00m, issuedAt = "2025-03-02T09:30:00+08:00" }, binding, digest: digest)));
        Result(Single(await Call("ReportPaymentReceipt", new { documentId = "PAY-" + Guid.NewGuid().ToString("N"), orderNumber = number, receiptNumber = "SK-0009",
            amount = 99.50m, receivedAt = "2025-03-03T10:00:00+08:00" }, binding, digest: digest)));
        await Eventually.Get(() => Query(db => db.Set<ErpPaymentReceipt>().AsNoTracking().CountAsync(p => p.OrderId == orderId)), n => n == 1, Wait, "receipt recorded");
        await Eventually.Get(() => Query(db => db.Set<ErpShipment>().AsNoTracking().CountAsync(p => p.OrderId == orderId)), n => n == 1, Wait, "shipment recorded");
        await Eventually.Get(() => Query(db => db.Set<ErpInvoice>().AsNoTracking().CountAsync(p => p.OrderId == orderId)), n => n == 1, Wait, "invoice recorded");

        var found = Result(Single(await Call("QueryOrder", new { orderNumber = number }, binding, digest: digest)));

        // An order with nothing reported answers as the first edition of the service did.
        Assert.Equal(JsonValueKind.Null, before.GetProperty("shipments").ValueKind);
        var shipment = Assert.Single(found.GetProperty("shipments").GetProperty("shipment").EnumerateArray());
        Assert.Equal((shipmentId, "WB-1"), (shipment.GetProperty("receiptId").GetString(), shipment.GetProperty("shipmentNumber").GetString()));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)), DateTimeOffset.Parse(shipment.GetProperty("shippedAt").GetString()!));
        var line = Assert.Single(shipment.GetProperty("lines").GetProperty("line").EnumerateArray());
        Assert.Equal(("BB-100M", 2), (line.GetProperty("productCode").GetString(), line.GetProperty("quantity").GetInt32()));
        var invoice = Assert.Single(found.GetProperty("invoices").GetProperty("invoice").EnumerateArray());
        Assert.Equal(("FP-0009", 199.00m), (invoice.GetProperty("invoiceNumber").GetString(), decimal.Parse(invoice.GetProperty("amount").GetString()!)));
        var payment = Assert.Single(found.GetProperty("payments").GetProperty("payment").EnumerateArray());
        Assert.Equal(("SK-0009", 99.50m), (payment.GetProperty("receiptNumber").GetString(), decimal.Parse(payment.GetProperty("amount").GetString()!)));
        Assert.Equal(TimeSpan.FromHours(8), DateTimeOffset.Parse(payment.GetProperty("receivedAt").GetString()!).Offset);
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task Polling_erp_fetches_the_hubs_sales_order_oldest_first_and_acknowledges_it_idempotently(string binding, string digest)
    {
        var (orderId, number) = await PlaceOrder();
        var documentId = $"so-{orderId:N}";
        var document = await Eventually.Get(async () => (await FetchAll(binding, digest)).FirstOrDefault(d => d.GetProperty("documentId").GetString() == documentId),
            d => d.ValueKind == JsonValueKind.Object, Wait, "sales order in the mailbox");
        Assert.Equal("SalesOrder", document.GetProperty("kind").GetString());
        var payload = XElement.Parse(document.GetProperty("payload").GetString()!);
        Assert.Equal(XName.Get("CreateSalesOrder", "urn:crm-hub:erp-sales:v1"), payload.Name);
        Assert.Equal(number, payload.Element(payload.Name.Namespace + "orderNumber")!.Value);
        var pending = await FetchAll(binding, digest);
        var created = pending.Select(d => DateTime.Parse(d.GetProperty("createdAt").GetString()!)).ToList();
        Assert.Equal(created.Order(), created);

        // The push ERP has no mailbox copy.
        Assert.DoesNotContain(await FetchAll(binding, digest, ErpTestPartners.PushUsername), d => d.GetProperty("documentId").GetString() == documentId);

        var unknown = "no-such-" + Guid.NewGuid().ToString("N");
        var ack = Result(Single(await Call("AcknowledgeOutboundDocuments", new { documentIds = new { documentId = new[] { documentId, unknown } } }, binding, ErpTestPartners.PollUsername, digest)));
        var again = Result(Single(await Call("AcknowledgeOutboundDocuments", new { documentIds = new { documentId = new[] { documentId } } }, binding, ErpTestPartners.PollUsername, digest)));

        Assert.Equal(1, ack.GetProperty("acknowledgedCount").GetInt32());
        Assert.Equal([unknown], ack.GetProperty("unknownDocumentIds").GetProperty("documentId").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, again.GetProperty("acknowledgedCount").GetInt32());
        Assert.DoesNotContain(await FetchAll(binding, digest), d => d.GetProperty("documentId").GetString() == documentId);
    }

    [Fact]
    public async Task Fetch_returns_at_most_max_count_documents()
    {
        var placed = new List<string>();
        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
        {
            var mailbox = scope.ServiceProvider.GetRequiredService<ErpMailbox>();
            for (var i = 0; i < 3; i++)
            {
                var id = "cust-" + Guid.NewGuid().ToString("N");
                placed.Add(id);
                await mailbox.Place(new PlaceErpOutboundDocument(id, ErpOutboundDocumentKinds.CustomerChanged, $"<customer code=\"{id}\"/>"), default);
            }
            await scope.ServiceProvider.GetRequiredService<HubDbContext>().SaveChangesAsync();
        }

        var page = Result(Single(await Call("FetchOutboundDocuments", new { maxCount = 2 }, "soap11", ErpTestPartners.PollUsername)));

        Assert.Equal(2, page.GetArrayLength());
        await Call("AcknowledgeOutboundDocuments", new { documentIds = new { documentId = placed } }, "soap12", ErpTestPartners.PollUsername, "no");
    }

    [Fact]
    public async Task Shipment_report_response_envelope_matches_golden_file()
    {
        var (_, number) = await PlaceOrder();
        var raw = Single(await Call("ReportShipment", Shipment("GOLDEN-" + Guid.NewGuid().ToString("N"), number, quantity: 1), "soap11")).GetProperty("raw").GetString()!;

        Golden.AssertMatches("erp-hub-report-shipment-response-soap11.xml", Golden.NormaliseXml(raw, "receiptId"));
    }

    [Fact]
    public async Task Conflicting_replay_fault_envelope_matches_golden_file()
    {
        var (_, number) = await PlaceOrder();
        var documentId = "GOLDEN-" + Guid.NewGuid().ToString("N");
        await Call("ReportShipment", Shipment(documentId, number, quantity: 1), "soap12", digest: "no");
        var raw = Single(await Call("ReportShipment", Shipment(documentId, number, quantity: 3), "soap12", digest: "no")).GetProperty("raw").GetString()!;

        Golden.AssertMatches("erp-hub-conflict-fault-soap12.xml", Golden.NormaliseXml(raw, "documentId", "Text", "message"));
    }

    private static object Shipment(string documentId, string orderNumber, int quantity) => new
    {
        documentId, orderNumber, shipmentNumber = "WB-1", shippedAt = "2025-03-01T10:00:00+08:00",
        lines = new { line = new[] { new { productCode = "BB-100M", quantity } } },
    };

    /// <summary>zeep unwraps the documents list: the answer is the array of documents (null when empty).</summary>
    private async Task<JsonElement[]> FetchAll(string binding, string digest, string username = ErpTestPartners.PollUsername) =>
        Result(Single(await Call("FetchOutboundDocuments", new { maxCount = 100 }, binding, username, digest))) is { ValueKind: JsonValueKind.Array } documents
            ? documents.EnumerateArray().ToArray() : [];

    private Task<JsonElement[]> Call(string operation, object arguments, string binding, string username = ErpTestPartners.PushUsername, string digest = "yes", int repeat = 1) =>
        CallJson(operation, JsonSerializer.Serialize(arguments), binding, username, digest, repeat);

    private async Task<JsonElement[]> CallJson(string operation, string arguments, string binding, string username = ErpTestPartners.PushUsername, string digest = "yes", int repeat = 1)
    {
        var output = await Zeep.RunScriptAsync("erp_hub_client.py", hub.BaseUrl.TrimEnd('/') + "/soap/erp?wsdl", operation, arguments,
            "--binding", binding, "--username", username, "--password", ErpTestPartners.Password, "--digest", digest, "--repeat", repeat.ToString());
        var results = output.GetProperty("results").EnumerateArray().ToArray();
        foreach (var result in results)
            AssertValidAgainstWsdl(result.GetProperty("raw").GetString()!, binding);
        return results;
    }

    /// <summary>The response body (or the fault's detail) validates against the WSDL's inline schema.</summary>
    private static void AssertValidAgainstWsdl(string raw, string binding)
    {
        var envelope = XElement.Parse(raw);
        var soap = binding == "soap12" ? Soap12 : Soap11;
        Assert.Equal(soap + "Envelope", envelope.Name);
        var payload = envelope.Element(soap + "Body")!.Elements().Single();
        if (payload.Name == soap + "Fault")
            payload = payload.Descendants().Single(e => e.Name.LocalName is "detail" or "Detail").Elements().Single();
        new XDocument(new XElement(payload)).Validate(Schema.Value, (_, e) => Assert.Fail($"{payload.Name.LocalName} does not validate: {e.Message}\n{payload}"));
    }

    private static JsonElement Single(JsonElement[] results) => Assert.Single(results);

    private static JsonElement Result(JsonElement call) =>
        call.TryGetProperty("result", out var result) ? result : throw new Xunit.Sdk.XunitException($"Expected an answer, got {call}");

    private static JsonElement Fault(JsonElement call, string binding)
    {
        Assert.True(call.TryGetProperty("fault", out var fault), $"Expected a fault, got {call}");
        Assert.EndsWith(binding == "soap12" ? ":Sender" : ":Client", fault.GetProperty("code").GetString());
        Assert.Equal("{urn:crm-hub:erp-hub:v1}ErpHubFault", fault.GetProperty("detail").GetProperty("tag").GetString());
        return fault;
    }

    private async Task<(Guid OrderId, string Number)> PlaceOrder(string owner = "sales-erp-test")
    {
        var id = Guid.NewGuid();
        var intake = await hub.Hub.Hub.Services.GetRequiredService<IBus>().GetSendEndpoint(HubQueues.Address(HubQueues.Orders));
        await intake.Send(new PlaceOrder(id, "C1001", owner, [new OrderLine("BB-100M", "FTTH", 2, 99.5m)], null, "api", DateTimeOffset.UtcNow));
        // The ERP learns of an order from its completion (the sales order): it reports on closed orders.
        var order = await Eventually.Get(() => Query(db => db.Set<Order>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id)),
            o => o?.Status == OrderStatus.Closed, Wait, "order closed");
        return (id, order!.Number);
    }

    private async Task<T> Query<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    private async Task<List<AuditedMessage>> Audited(string messageType, string bodyContains)
    {
        await using var db = hub.Hub.Hub.Services.GetRequiredService<HubModuleStore>().OpenAudit();
        // Bodies are sealed at rest: the store filters by type, the body is searched once opened.
        return (await db.Set<AuditedMessage>().AsNoTracking().Where(m => m.MessageType == messageType).ToListAsync())
            .Where(m => m.Body.Contains(bodyContains, StringComparison.Ordinal)).ToList();
    }

    private Task<BusEventProbe> Probe(params Type[] eventTypes) => BusEventProbe.StartAsync(hub.Hub.Hub.Services.GetRequiredService<IBus>(), eventTypes);
}
