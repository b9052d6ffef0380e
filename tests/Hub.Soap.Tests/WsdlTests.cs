using System.Net.Http.Headers;
using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using System.Xml.Serialization;
using Crm.Contracts.Soap;
using Crm.Contracts.Soap.ErpHub;
using Crm.Contracts.Soap.ErpSales;
using Hub.Soap.Server;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>The hand-kept WSDLs: well-formed, self-contained, complete, consistent with the contracts, and served with the caller's address.</summary>
public sealed class WsdlTests(ErpSimulatorFixture fixture) : IClassFixture<ErpSimulatorFixture>
{
    public static TheoryData<string> WsdlFiles => new() { SoapWsdlDocuments.ErpSalesServiceFileName, SoapWsdlDocuments.ErpHubServiceFileName };

    private static WsdlFacts Load(string file) => new(XDocument.Parse(SoapWsdlDocuments.Load(file)));

    [Theory]
    [MemberData(nameof(WsdlFiles))]
    public void Wsdl_is_well_formed_self_contained_and_its_inline_schema_compiles(string file)
    {
        var text = SoapWsdlDocuments.Load(file);
        using (var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            while (reader.Read())
            {
            }
        }

        var wsdl = Load(file);
        Assert.Empty(wsdl.Document.Descendants(WsdlFacts.Xs + "import"));
        Assert.Empty(wsdl.Document.Descendants(WsdlFacts.Xs + "include"));
        Assert.Empty(wsdl.Document.Descendants(WsdlFacts.Wsdl + "import"));
        var schema = Assert.Single(wsdl.Schemas);
        Assert.Equal(wsdl.TargetNamespace, (string?)schema.Attribute("targetNamespace"));
        Assert.Equal("qualified", (string?)schema.Attribute("elementFormDefault"));
        Assert.True(wsdl.CompileSchemas().IsCompiled);
    }

    [Theory]
    [InlineData(SoapWsdlDocuments.ErpSalesServiceFileName, new[] { "CancelSalesOrder", "CreateSalesOrder", "ProvisionResources", "ReceiveDocument", "ReleaseResources" })]
    [InlineData(SoapWsdlDocuments.ErpHubServiceFileName, new[]
    {
        "AcknowledgeOutboundDocuments", "FetchOutboundDocuments", "QueryCustomer", "QueryOrder", "ReportInvoice",
        "ReportPaymentReceipt", "ReportProductChange", "ReportShipment", "ReportStockLevel",
    })]
    public void Wsdl_has_every_operation_in_a_soap11_and_a_soap12_document_literal_binding(string file, string[] operations)
    {
        var wsdl = Load(file);
        Assert.Equal(operations, wsdl.PortTypeOperations);

        var bindings = wsdl.Bindings.ToList();
        Assert.Equal(2, bindings.Count);
        Assert.Single(bindings, WsdlFacts.IsSoap12);
        foreach (var binding in bindings)
        {
            var soap = WsdlFacts.IsSoap12(binding) ? WsdlFacts.Soap12 : WsdlFacts.Soap;
            Assert.Equal("document", (string?)binding.Element(soap + "binding")!.Attribute("style"));
            Assert.Equal("http://schemas.xmlsoap.org/soap/http", (string?)binding.Element(soap + "binding")!.Attribute("transport"));
            var bound = binding.Elements(WsdlFacts.Wsdl + "operation").ToList();
            Assert.Equal(operations, bound.Select(o => (string)o.Attribute("name")!).Order());
            foreach (var operation in bound)
            {
                Assert.Equal($"{wsdl.TargetNamespace}/{operation.Attribute("name")!.Value}", (string?)operation.Element(soap + "operation")!.Attribute("soapAction"));
                Assert.Equal("literal", (string?)operation.Element(WsdlFacts.Wsdl + "input")!.Element(soap + "body")!.Attribute("use"));
                Assert.Equal("literal", (string?)operation.Element(WsdlFacts.Wsdl + "output")!.Element(soap + "body")!.Attribute("use"));
            }
        }

        var ports = wsdl.Definitions.Elements(WsdlFacts.Wsdl + "service").Elements(WsdlFacts.Wsdl + "port").ToList();
        Assert.Equal(2, ports.Count);
        Assert.Single(ports, p => p.Element(WsdlFacts.Soap + "address") is not null);
        Assert.Single(ports, p => p.Element(WsdlFacts.Soap12 + "address") is not null);
    }

    [Theory]
    [MemberData(nameof(WsdlFiles))]
    public void Wsdl_operations_are_wrapped_and_each_declares_the_typed_fault_element_of_the_schema(string file)
    {
        var wsdl = Load(file);
        var elements = wsdl.SchemaElements;
        foreach (var operation in wsdl.Definitions.Elements(WsdlFacts.Wsdl + "portType").Elements(WsdlFacts.Wsdl + "operation"))
        {
            var name = (string)operation.Attribute("name")!;
            var input = wsdl.PartElement(wsdl.Message(operation, (string)operation.Element(WsdlFacts.Wsdl + "input")!.Attribute("message")!));
            var output = wsdl.PartElement(wsdl.Message(operation, (string)operation.Element(WsdlFacts.Wsdl + "output")!.Attribute("message")!));
            Assert.Equal(XName.Get(name, wsdl.TargetNamespace), input);
            Assert.Equal(XName.Get(name + "Response", wsdl.TargetNamespace), output);
            Assert.Contains(input, elements);
            Assert.Contains(output, elements);

            var fault = Assert.Single(operation.Elements(WsdlFacts.Wsdl + "fault"));
            var faultElement = wsdl.PartElement(wsdl.Message(fault, (string)fault.Attribute("message")!));
            Assert.Equal(wsdl.TargetNamespace, faultElement.NamespaceName);
            Assert.EndsWith("Fault", faultElement.LocalName);
            Assert.Contains(faultElement, elements);

            foreach (var binding in wsdl.Bindings)
            {
                var soap = WsdlFacts.IsSoap12(binding) ? WsdlFacts.Soap12 : WsdlFacts.Soap;
                var bound = binding.Elements(WsdlFacts.Wsdl + "operation").Single(o => (string?)o.Attribute("name") == name);
                var boundFault = Assert.Single(bound.Elements(WsdlFacts.Wsdl + "fault"));
                Assert.Equal((string?)fault.Attribute("name"), (string?)boundFault.Attribute("name"));
                Assert.Equal((string?)fault.Attribute("name"), (string?)boundFault.Element(soap + "fault")!.Attribute("name"));
                Assert.Equal("literal", (string?)boundFault.Element(soap + "fault")!.Attribute("use"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(WsdlFiles))]
    public void Wsdl_contract_surface_matches_its_golden_file(string file) =>
        Golden.AssertMatches(Path.ChangeExtension(file, ".summary.txt"), Load(file).Summary());

    [Theory]
    [InlineData(SoapWsdlDocuments.ErpSalesServiceFileName, typeof(ErpSalesContract.Actions))]
    [InlineData(SoapWsdlDocuments.ErpHubServiceFileName, typeof(ErpHubContract.Actions))]
    public void Contract_action_constants_are_exactly_the_wsdl_soap_actions(string file, Type actions)
    {
        var wsdl = Load(file);
        var declared = wsdl.Bindings.First().Elements(WsdlFacts.Wsdl + "operation")
            .Select(o => (string)o.Element(WsdlFacts.Soap + "operation")!.Attribute("soapAction")!).Order();
        var constants = actions.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order();
        Assert.Equal(declared, constants);
    }

    public static TheoryData<string, object> ContractSamples
    {
        get
        {
            var utc = new DateTime(2025, 3, 1, 12, 30, 0, DateTimeKind.Utc);
            var data = new TheoryData<string, object>();
            void Add(string file, object sample) => data.Add(file, sample);
            var sales = SoapWsdlDocuments.ErpSalesServiceFileName;
            Add(sales, new CreateSalesOrderRequest
            {
                DocumentId = "D1", OrderNumber = "O1", CustomerCode = "C1", TotalAmount = 23.5m,
                Lines = [new SalesOrderLine { ProductCode = "P1", SpecModel = "M1", Quantity = 2, UnitPrice = 10m, Discount = 0.1m }, new SalesOrderLine { ProductCode = "P2", Quantity = 1, UnitPrice = 5.5m }],
            });
            Add(sales, new CreateSalesOrderResponse { SalesOrderNumber = "SO1" });
            Add(sales, new CancelSalesOrderRequest { DocumentId = "D2", OrderNumber = "O1", Reason = "customer" });
            Add(sales, new CancelSalesOrderResponse { Cancelled = true });
            Add(sales, new ProvisionResourcesRequest { DocumentId = "D3", OrderNumber = "O1", ProductCode = "P1", Quantity = 3 });
            Add(sales, new ProvisionResourcesResponse { ProvisioningId = "PRV1" });
            Add(sales, new ReceiveDocumentRequest { DocumentId = "D4", Kind = "CustomerChanged", Payload = "<customer code=\"C1\"/>", CreatedAt = utc });
            Add(sales, new ReceiveDocumentResponse { Received = true });
            Add(sales, new ReleaseResourcesRequest { DocumentId = "D5", OrderNumber = "O1", ProvisioningId = "PRV1", Reason = "customer cancelled" });
            Add(sales, new ReleaseResourcesResponse { Released = true });
            Add(sales, new ErpSalesFault { Code = ErpSalesFaultCodes.CustomerRejected, Message = "blocked", DocumentId = "D1" });
            Add(sales, new ErpSalesFault { Code = ErpSalesFaultCodes.InvalidRequest, Message = "bad" });

            var hub = SoapWsdlDocuments.ErpHubServiceFileName;
            Add(hub, new ReportShipmentRequest { DocumentId = "D", OrderNumber = "O", ShipmentNumber = "S", ShippedAt = utc, Lines = [new ShipmentLine { ProductCode = "P", Quantity = 1 }] });
            Add(hub, new ReportShipmentResponse { Accepted = true, ReceiptId = "R" });
            Add(hub, new ReportInvoiceRequest { DocumentId = "D", OrderNumber = "O", InvoiceNumber = "I", Amount = 10.25m, IssuedAt = utc });
            Add(hub, new ReportInvoiceResponse { Accepted = true, ReceiptId = "R" });
            Add(hub, new ReportPaymentReceiptRequest { DocumentId = "D", OrderNumber = "O", ReceiptNumber = "PR", Amount = 10.25m, ReceivedAt = utc });
            Add(hub, new ReportPaymentReceiptResponse { Accepted = false, ReceiptId = "R" });
            Add(hub, new ReportStockLevelRequest { DocumentId = "D", ProductCode = "P", Warehouse = "W1", Quantity = 7 });
            Add(hub, new ReportStockLevelResponse { Accepted = true, ReceiptId = "R" });
            Add(hub, new ReportProductChangeRequest { DocumentId = "D", ProductCode = "P", Name = "Widget", SpecModel = "X", State = "Active" });
            Add(hub, new ReportProductChangeRequest { DocumentId = "D", ProductCode = "P", Name = "Widget", State = "Discontinued" });
            Add(hub, new ReportProductChangeResponse { Accepted = true, ReceiptId = "R" });
            Add(hub, new QueryCustomerRequest { CustomerCode = "C" });
            Add(hub, new QueryCustomerResponse { Customer = new CustomerSummary { CustomerCode = "C", Name = "Acme", Status = "Active", Email = "a@b.c" } });
            Add(hub, new QueryCustomerResponse());
            Add(hub, new QueryOrderRequest { OrderNumber = "O" });
            Add(hub, new QueryOrderResponse { Order = new OrderSummary { OrderNumber = "O", Status = "Shipped", ErpSalesOrderNumber = "SO1" } });
            Add(hub, new QueryOrderResponse());
            Add(hub, new FetchOutboundDocumentsRequest { MaxCount = 10 });
            Add(hub, new FetchOutboundDocumentsResponse { Documents = [new OutboundDocument { DocumentId = "D", Kind = "K", Payload = "<x a=\"1\">&amp;</x>", CreatedAt = utc }] });
            Add(hub, new FetchOutboundDocumentsResponse());
            Add(hub, new AcknowledgeOutboundDocumentsRequest { DocumentIds = ["D1", "D2"] });
            Add(hub, new AcknowledgeOutboundDocumentsResponse { AcknowledgedCount = 2 });
            Add(hub, new ErpHubFault { Code = ErpHubFaultCodes.InvalidRequest, Message = "bad", DocumentId = "D" });
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ContractSamples))]
    public void Contract_class_serialises_to_xml_that_is_valid_against_the_wsdl_schema(string file, object sample)
    {
        var schemas = Load(file).CompileSchemas();
        var document = new XDocument();
        using (var writer = document.CreateWriter())
        {
            var namespaces = new XmlSerializerNamespaces();
            namespaces.Add(string.Empty, string.Empty);
            new XmlSerializer(sample.GetType()).Serialize(writer, sample, namespaces);
        }

        var errors = new List<string>();
        document.Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.True(errors.Count == 0, document + "\n" + string.Join("\n", errors));

        // And it reads back to the same XML.
        using var reader = document.CreateReader();
        var back = new XmlSerializer(sample.GetType()).Deserialize(reader)!;
        var again = new XDocument();
        using (var writer = again.CreateWriter())
        {
            new XmlSerializer(sample.GetType()).Serialize(writer, back);
        }

        Assert.True(XNode.DeepEquals(Strip(document.Root!), Strip(again.Root!)));
    }

    [Fact]
    public void Schema_validation_catches_a_contract_that_drifted()
    {
        var schemas = Load(SoapWsdlDocuments.ErpSalesServiceFileName).CompileSchemas();
        var drifted = XDocument.Parse($"""<CreateSalesOrder xmlns="{ErpSalesContract.Namespace}"><documentId>D</documentId><orderNo>O</orderNo></CreateSalesOrder>""");
        var errors = new List<string>();
        drifted.Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Served_wsdl_address_is_the_address_the_caller_used()
    {
        var wsdl = await GetWsdlAsync("?wsdl");

        var locations = Addresses(wsdl);
        Assert.Equal(2, locations.Count);
        Assert.All(locations, l => Assert.Equal(fixture.Host.ServiceUrl.ToString(), l));
    }

    [Fact]
    public async Task Served_wsdl_address_reflects_x_forwarded_proto_host_and_prefix()
    {
        var wsdl = await GetWsdlAsync("?wsdl", ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "erp.example.com, proxy.internal"), ("X-Forwarded-Prefix", "/partners"));

        Assert.All(Addresses(wsdl), l => Assert.Equal("https://erp.example.com/partners/erp/sales", l));
    }

    [Fact]
    public async Task Served_wsdl_ignores_forwarded_values_that_are_not_a_scheme_or_host()
    {
        var wsdl = await GetWsdlAsync("?wsdl", ("X-Forwarded-Proto", "javascript"), ("X-Forwarded-Host", "evil\"><script>"));

        Assert.All(Addresses(wsdl), l => Assert.Equal(fixture.Host.ServiceUrl.ToString(), l));
    }

    [Fact]
    public async Task SingleWsdl_serves_the_same_self_contained_document_as_wsdl()
    {
        var wsdl = await GetWsdlAsync("?wsdl");
        var single = await GetWsdlAsync("?singleWsdl");

        Assert.True(XNode.DeepEquals(wsdl, single));
        Assert.Equal(XDocument.Parse(SoapWsdlDocuments.ErpSalesService).Descendants().Count(), wsdl.Descendants().Count());
    }

    [Fact]
    public void Simulator_service_is_consistent_with_its_wsdl()
    {
        var service = fixture.Host.Simulator.CreateService();
        Assert.Empty(WsdlConsistency.Check(service, XDocument.Parse(SoapWsdlDocuments.ErpSalesService)));
    }

    [Fact]
    public void Mapping_a_service_whose_action_is_not_in_its_wsdl_fails_at_start_up()
    {
        var service = new SoapServiceDescription(ErpSalesContract.ServiceName, ErpSalesContract.Namespace)
            {
                WsdlProvider = () => SoapWsdlDocuments.ErpSalesService,
                RequireSecurity = false,
            }
            .AddOperation<CreateSalesOrderRequest, CreateSalesOrderResponse>("urn:wrong/CreateSalesOrder", (_, _) => Task.FromResult(new CreateSalesOrderResponse()));

        var problems = WsdlConsistency.Check(service, XDocument.Parse(SoapWsdlDocuments.ErpSalesService));

        Assert.Contains(problems, p => p.Contains("urn:wrong/CreateSalesOrder", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => WsdlConsistency.ThrowIfInconsistent(service, XDocument.Parse(SoapWsdlDocuments.ErpSalesService)));
    }

    private async Task<XDocument> GetWsdlAsync(string query, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Host.ServiceUrl + query);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await fixture.Host.Host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Addresses(XDocument wsdl) =>
        wsdl.Descendants().Where(e => e.Name == WsdlFacts.Soap + "address" || e.Name == WsdlFacts.Soap12 + "address")
            .Select(e => (string)e.Attribute("location")!).ToList();

    private static XElement Strip(XElement e) =>
        new(e.Name, e.Attributes().Where(a => !a.IsNamespaceDeclaration), e.Nodes().Select(n => n is XElement c ? Strip(c) : n));
}
