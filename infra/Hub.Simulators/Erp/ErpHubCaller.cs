using Crm.Contracts.Soap.ErpHub;
using Hub.Soap;
using Hub.Soap.Client;

namespace Hub.Simulators.Erp;

/// <summary>Where and how <see cref="ErpHubCaller"/> reaches the hub's ErpHubService.</summary>
public sealed class ErpHubCallerOptions
{
    /// <summary>The hub's base URL, e.g. <c>http://localhost:5080</c>.</summary>
    public required Uri HubBaseUrl { get; init; }

    /// <summary>Path of the hub's ERP service (default <c>/soap/erp</c>).</summary>
    public string Path { get; init; } = ErpHubContract.DefaultPath;

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool UsePasswordDigest { get; init; } = true;

    public SoapVersion Version { get; init; } = SoapVersion.Soap11;

    public SoapResilienceOptions Resilience { get; init; } = new();
}

/// <summary>
/// The legacy ERP calling the hub: a typed SOAP client for ErpHubService (/soap/erp) with a UsernameToken and the
/// retry/circuit-breaker pipeline of <see cref="SoapClient"/>. Reuse one instance (the circuit state lives in it).
/// </summary>
public sealed class ErpHubCaller(HttpClient httpClient, ErpHubCallerOptions options, ILogger<ErpHubCaller>? logger = null)
    : SoapClient(httpClient, ToClientOptions(options), logger)
{
    /// <summary>Name of the IHttpClientFactory client the simulator uses.</summary>
    public const string HttpClientName = "erp-hub";

    public Task<ReportShipmentResponse> ReportShipmentAsync(ReportShipmentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ReportShipmentRequest, ReportShipmentResponse>(ErpHubContract.Actions.ReportShipment, request, cancellationToken);

    public Task<ReportInvoiceResponse> ReportInvoiceAsync(ReportInvoiceRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ReportInvoiceRequest, ReportInvoiceResponse>(ErpHubContract.Actions.ReportInvoice, request, cancellationToken);

    public Task<ReportPaymentReceiptResponse> ReportPaymentReceiptAsync(ReportPaymentReceiptRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ReportPaymentReceiptRequest, ReportPaymentReceiptResponse>(ErpHubContract.Actions.ReportPaymentReceipt, request, cancellationToken);

    public Task<ReportStockLevelResponse> ReportStockLevelAsync(ReportStockLevelRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ReportStockLevelRequest, ReportStockLevelResponse>(ErpHubContract.Actions.ReportStockLevel, request, cancellationToken);

    public Task<ReportProductChangeResponse> ReportProductChangeAsync(ReportProductChangeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync<ReportProductChangeRequest, ReportProductChangeResponse>(ErpHubContract.Actions.ReportProductChange, request, cancellationToken);

    public Task<QueryCustomerResponse> QueryCustomerAsync(string customerCode, CancellationToken cancellationToken = default) =>
        CallAsync<QueryCustomerRequest, QueryCustomerResponse>(ErpHubContract.Actions.QueryCustomer, new QueryCustomerRequest { CustomerCode = customerCode }, cancellationToken);

    public Task<QueryOrderResponse> QueryOrderAsync(string orderNumber, CancellationToken cancellationToken = default) =>
        CallAsync<QueryOrderRequest, QueryOrderResponse>(ErpHubContract.Actions.QueryOrder, new QueryOrderRequest { OrderNumber = orderNumber }, cancellationToken);

    public Task<FetchOutboundDocumentsResponse> FetchOutboundDocumentsAsync(int maxCount, CancellationToken cancellationToken = default) =>
        CallAsync<FetchOutboundDocumentsRequest, FetchOutboundDocumentsResponse>(ErpHubContract.Actions.FetchOutboundDocuments, new FetchOutboundDocumentsRequest { MaxCount = maxCount }, cancellationToken);

    public Task<AcknowledgeOutboundDocumentsResponse> AcknowledgeOutboundDocumentsAsync(IEnumerable<string> documentIds, CancellationToken cancellationToken = default) =>
        CallAsync<AcknowledgeOutboundDocumentsRequest, AcknowledgeOutboundDocumentsResponse>(
            ErpHubContract.Actions.AcknowledgeOutboundDocuments,
            new AcknowledgeOutboundDocumentsRequest { DocumentIds = documentIds.ToList() },
            cancellationToken);

    private static SoapClientOptions ToClientOptions(ErpHubCallerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SoapClientOptions
        {
            Endpoint = new Uri(options.HubBaseUrl, options.Path),
            Version = options.Version,
            Username = options.Username,
            Password = options.Password,
            UsePasswordDigest = options.UsePasswordDigest,
            Resilience = options.Resilience,
        };
    }
}
