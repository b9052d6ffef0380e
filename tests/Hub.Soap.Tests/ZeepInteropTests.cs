using System.Text.Json;
using Hub.Soap.Tests.Infrastructure;

namespace Hub.Soap.Tests;

/// <summary>Python zeep (Debian's python3-zeep) drives the ERP simulator from its WSDL over real sockets.</summary>
public sealed class ZeepInteropTests(ErpSimulatorFixture fixture) : IClassFixture<ErpSimulatorFixture>
{
    private ErpSimulatorHost Erp => fixture.Host;

    [Theory]
    [InlineData("soap11", "yes")]
    [InlineData("soap11", "no")]
    [InlineData("soap12", "yes")]
    [InlineData("soap12", "no")]
    public async Task Zeep_creates_a_sales_order_from_the_wsdl_with_a_username_token(string binding, string digest)
    {
        var documentId = $"ZEEP-{binding}-{digest}-{Guid.NewGuid():N}";

        var output = await Zeep.RunAsync("create", Erp.WsdlUrl.ToString(), "--binding", binding,
            "--username", TestCredentials.Username, "--password", TestCredentials.Password, "--digest", digest,
            "--document-id", documentId, "--order", "ORD-" + documentId);

        var result = Assert.Single(output.GetProperty("results").EnumerateArray());
        Assert.True(result.TryGetProperty("salesOrderNumber", out var number), result.ToString());
        Assert.StartsWith("SO", number.GetString());
        var received = Assert.Single(Erp.Simulator.Received, r => r.DocumentId == documentId);
        Assert.Equal((1, 1, TestCredentials.PartnerId), (received.Calls, received.Effects, received.PartnerId));
        Assert.Equal(binding == "soap12" ? "Soap12" : "Soap11", received.LastSoapVersion);
    }

    [Theory]
    [InlineData("soap11", "Client")]
    [InlineData("soap12", "Sender")]
    public async Task Zeep_sees_a_client_fault_with_the_typed_detail_for_a_rejected_customer(string binding, string expectedCode)
    {
        var documentId = $"ZEEP-REJECT-{binding}-{Guid.NewGuid():N}";

        var output = await Zeep.RunAsync("create", Erp.WsdlUrl.ToString(), "--binding", binding,
            "--username", TestCredentials.Username, "--password", TestCredentials.Password,
            "--document-id", documentId, "--customer", "REJECT-42");

        var fault = Assert.Single(output.GetProperty("results").EnumerateArray()).GetProperty("fault");
        Assert.EndsWith(":" + expectedCode, fault.GetProperty("code").GetString());
        Assert.Contains("REJECT-42", fault.GetProperty("message").GetString());
        var detail = fault.GetProperty("detail");
        Assert.Equal("{urn:crm-hub:erp-sales:v1}ErpSalesFault", detail.GetProperty("tag").GetString());
        Assert.Equal("CUSTOMER_REJECTED", detail.GetProperty("code").GetString());
        var received = Assert.Single(Erp.Simulator.Received, r => r.DocumentId == documentId);
        Assert.Equal(0, received.Effects);
    }

    [Theory]
    [InlineData("soap11")]
    [InlineData("soap12")]
    public async Task Zeep_repeating_a_document_id_gets_the_same_sales_order_number_and_creates_once(string binding)
    {
        var documentId = $"ZEEP-REPEAT-{binding}-{Guid.NewGuid():N}";

        var output = await Zeep.RunAsync("create", Erp.WsdlUrl.ToString(), "--binding", binding,
            "--username", TestCredentials.Username, "--password", TestCredentials.Password,
            "--document-id", documentId, "--repeat", "2");

        var numbers = output.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("salesOrderNumber").GetString()).ToList();
        Assert.Equal(2, numbers.Count);
        Assert.Equal(numbers[0], numbers[1]);
        var received = Assert.Single(Erp.Simulator.Received, r => r.DocumentId == documentId);
        Assert.Equal((2, 1), (received.Calls, received.Effects));
    }

    [Fact]
    public async Task Zeep_without_credentials_gets_a_generic_authentication_fault()
    {
        var documentId = $"ZEEP-NOAUTH-{Guid.NewGuid():N}";

        var output = await Zeep.RunAsync("create", Erp.WsdlUrl.ToString(), "--document-id", documentId);

        var fault = Assert.Single(output.GetProperty("results").EnumerateArray()).GetProperty("fault");
        Assert.Equal("Authentication failed.", fault.GetProperty("message").GetString());
        Assert.DoesNotContain(Erp.Simulator.Received, r => r.DocumentId == documentId);
    }

    [Fact]
    public async Task Zeep_reads_the_erp_sales_wsdl_with_both_bindings_and_the_served_address()
    {
        var output = await Zeep.RunAsync("operations", Erp.WsdlUrl.ToString());

        var ports = output.GetProperty("ErpSalesService");
        foreach (var (port, binding) in new[] { ("ErpSalesSoap11Port", "Soap11Binding"), ("ErpSalesSoap12Port", "Soap12Binding") })
        {
            var p = ports.GetProperty(port);
            Assert.Equal(binding, p.GetProperty("binding").GetString());
            Assert.Equal(Erp.ServiceUrl.ToString(), p.GetProperty("address").GetString());
            Assert.Equal(["CancelSalesOrder", "CreateSalesOrder", "ProvisionResources", "ReceiveDocument", "ReleaseResources"], Strings(p.GetProperty("operations")));
        }
    }

    [Fact]
    public async Task Zeep_parses_the_erp_hub_wsdl_served_by_a_hub_service_and_lists_all_operations_on_both_ports()
    {
        await using var hub = await TestErpHub.StartAsync();

        var output = await Zeep.RunAsync("operations", hub.ServiceUrl + "?singleWsdl");

        var ports = output.GetProperty("ErpHubService");
        string[] expected =
        [
            "AcknowledgeOutboundDocuments", "FetchOutboundDocuments", "QueryCustomer", "QueryOrder", "ReportInvoice",
            "ReportPaymentReceipt", "ReportProductChange", "ReportShipment", "ReportStockLevel",
        ];
        foreach (var (port, binding) in new[] { ("ErpHubSoap11Port", "Soap11Binding"), ("ErpHubSoap12Port", "Soap12Binding") })
        {
            var p = ports.GetProperty(port);
            Assert.Equal(binding, p.GetProperty("binding").GetString());
            Assert.Equal(hub.ServiceUrl.ToString(), p.GetProperty("address").GetString());
            Assert.Equal(expected, Strings(p.GetProperty("operations")));
        }
    }

    internal static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
