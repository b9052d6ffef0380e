using Crm.Contracts.Soap.ErpSales;
using Hub.Soap.Client;

namespace Hub.Adapters.Erp;

/// <summary>
/// The ERP's sales service (contracts/Soap/ErpSalesService.wsdl) as a typed SOAP client: what a
/// WCF "Add Service Reference" proxy would be. Retries, timeouts and the circuit breaker are
/// the SOAP client's, configured from <c>Partners:Erp:Resilience</c>.
/// </summary>
public sealed class ErpSalesClient(HttpClient http, SoapClientOptions options, ILogger<ErpSalesClient> logger)
    : SoapClient(http, options, logger)
{
    /// <summary>Creates the sales order; the same document id always answers with the same sales order.</summary>
    public Task<CreateSalesOrderResponse> CreateSalesOrder(CreateSalesOrderRequest request, CancellationToken ct) =>
        CallAsync<CreateSalesOrderRequest, CreateSalesOrderResponse>(ErpSalesContract.Actions.CreateSalesOrder, request, ct);

    /// <summary>Cancels the sales order of an order; cancelling one that does not exist is not an error.</summary>
    public Task<CancelSalesOrderResponse> CancelSalesOrder(CancelSalesOrderRequest request, CancellationToken ct) =>
        CallAsync<CancelSalesOrderRequest, CancelSalesOrderResponse>(ErpSalesContract.Actions.CancelSalesOrder, request, ct);

    /// <summary>Provisions the resources of one work order; the same document id always answers with the same provisioning.</summary>
    public Task<ProvisionResourcesResponse> ProvisionResources(ProvisionResourcesRequest request, CancellationToken ct) =>
        CallAsync<ProvisionResourcesRequest, ProvisionResourcesResponse>(ErpSalesContract.Actions.ProvisionResources, request, ct);

    /// <summary>Delivers one of the hub's outbound documents (push delivery); the same document id again is a repeat the ERP files once.</summary>
    public Task<ReceiveDocumentResponse> ReceiveDocument(ReceiveDocumentRequest request, CancellationToken ct) =>
        CallAsync<ReceiveDocumentRequest, ReceiveDocumentResponse>(ErpSalesContract.Actions.ReceiveDocument, request, ct);

    /// <summary>Releases the resources of a provisioning (compensation); the same document id always answers the same.</summary>
    public Task<ReleaseResourcesResponse> ReleaseResources(ReleaseResourcesRequest request, CancellationToken ct) =>
        CallAsync<ReleaseResourcesRequest, ReleaseResourcesResponse>(ErpSalesContract.Actions.ReleaseResources, request, ct);
}
