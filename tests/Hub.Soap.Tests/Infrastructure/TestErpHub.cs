using System.Collections.Concurrent;
using Crm.Contracts.Soap;
using Crm.Contracts.Soap.ErpHub;
using Hub.Soap.Security;
using Hub.Soap.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>A stand-in for the hub's /soap/erp: ErpHubService with trivial handlers that record what arrived.</summary>
public sealed class TestErpHub : IAsyncDisposable
{
    public const string Username = "erp-user";
    public const string Password = "erp-Pa55!";
    public const string PartnerId = "legacy-erp";

    private TestErpHub(TestHost host) => Host = host;

    public TestHost Host { get; }

    public ConcurrentQueue<(ReportShipmentRequest Request, string? PartnerId)> Shipments { get; } = new();

    public Uri ServiceUrl => Host.Url("soap/erp");

    public static async Task<TestErpHub> StartAsync()
    {
        TestErpHub? hub = null;
        var receipts = new ConcurrentDictionary<string, string>();
        var partners = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Partners:{PartnerId}:Username"] = Username,
            [$"Partners:{PartnerId}:Password"] = Password,
        }).Build().GetSection("Partners");

        ReportShipmentResponse Receipt(string documentId) =>
            new() { Accepted = true, ReceiptId = receipts.GetOrAdd(documentId, _ => "RCPT-" + Guid.NewGuid().ToString("N")[..8]) };

        var service = new SoapServiceDescription(ErpHubContract.ServiceName, ErpHubContract.Namespace)
            {
                WsdlProvider = () => SoapWsdlDocuments.ErpHubService,
                RequireSecurity = true,
            }
            .AddOperation<ReportShipmentRequest, ReportShipmentResponse>(ErpHubContract.Actions.ReportShipment, (r, ctx) =>
            {
                hub!.Shipments.Enqueue((r, ctx.PartnerId));
                return Task.FromResult(Receipt(r.DocumentId));
            })
            .AddOperation<ReportInvoiceRequest, ReportInvoiceResponse>(ErpHubContract.Actions.ReportInvoice, (r, _) =>
                Task.FromResult(new ReportInvoiceResponse { Accepted = true, ReceiptId = Receipt(r.DocumentId).ReceiptId }))
            .AddOperation<ReportPaymentReceiptRequest, ReportPaymentReceiptResponse>(ErpHubContract.Actions.ReportPaymentReceipt, (r, _) =>
                Task.FromResult(new ReportPaymentReceiptResponse { Accepted = true, ReceiptId = Receipt(r.DocumentId).ReceiptId }))
            .AddOperation<ReportStockLevelRequest, ReportStockLevelResponse>(ErpHubContract.Actions.ReportStockLevel, (r, _) =>
                Task.FromResult(new ReportStockLevelResponse { Accepted = true, ReceiptId = Receipt(r.DocumentId).ReceiptId }))
            .AddOperation<ReportProductChangeRequest, ReportProductChangeResponse>(ErpHubContract.Actions.ReportProductChange, (r, _) =>
                Task.FromResult(new ReportProductChangeResponse { Accepted = true, ReceiptId = Receipt(r.DocumentId).ReceiptId }))
            .AddOperation<QueryCustomerRequest, QueryCustomerResponse>(ErpHubContract.Actions.QueryCustomer, (r, _) =>
                Task.FromResult(new QueryCustomerResponse
                {
                    Customer = r.CustomerCode == "C-1" ? new CustomerSummary { CustomerCode = "C-1", Name = "Acme", Status = "Active" } : null,
                }))
            .AddOperation<QueryOrderRequest, QueryOrderResponse>(ErpHubContract.Actions.QueryOrder, (r, _) =>
                Task.FromResult(new QueryOrderResponse { Order = new OrderSummary { OrderNumber = r.OrderNumber, Status = "Placed" } }))
            .AddOperation<FetchOutboundDocumentsRequest, FetchOutboundDocumentsResponse>(ErpHubContract.Actions.FetchOutboundDocuments, (r, _) =>
                Task.FromResult(new FetchOutboundDocumentsResponse
                {
                    Documents = Enumerable.Range(1, Math.Min(r.MaxCount, 2)).Select(i => new OutboundDocument
                    {
                        DocumentId = $"OUT-{i}", Kind = "CustomerChanged", Payload = $"<customer code=\"C-{i}\"/>", CreatedAt = new DateTime(2025, 1, i, 0, 0, 0, DateTimeKind.Utc),
                    }).ToList(),
                }))
            .AddOperation<AcknowledgeOutboundDocumentsRequest, AcknowledgeOutboundDocumentsResponse>(ErpHubContract.Actions.AcknowledgeOutboundDocuments, (r, _) =>
                Task.FromResult(new AcknowledgeOutboundDocumentsResponse { AcknowledgedCount = r.DocumentIds.Count }));

        var host = await TestHost.StartAsync(
            s => s.AddSoapServer().AddSoapCredentialStore(partners),
            app => app.MapSoapService("/soap/erp", service));
        hub = new TestErpHub(host);
        return hub;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
