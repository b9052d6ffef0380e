using System.Collections.Concurrent;
using Crm.Contracts.Soap;
using Crm.Contracts.Soap.ErpSales;
using Hub.Soap;
using Hub.Soap.Security;

namespace Hub.Simulators.Erp;

/// <summary>
/// The legacy ERP as the hub meets it: ErpSalesService over SOAP 1.1/1.2 with WS-Security UsernameToken, idempotent by
/// documentId (a repeat returns the first answer and creates nothing), refusing customers whose code starts with
/// <c>REJECT</c> with a Client fault, with configurable latency and transient failures. It records every call by
/// documentId so a test can prove each effect happened exactly once.
/// </summary>
public sealed class ErpSimulator
{
    private readonly ConcurrentDictionary<string, ErpDocumentRecord> _byDocument = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _salesOrderOfOrder = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _cancelledSalesOrders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _provisionings = new(StringComparer.Ordinal);
    private readonly ErpShipmentReporter _shipments;
    private readonly TimeProvider _time;
    private readonly ILogger<ErpSimulator> _logger;
    private int _salesOrderSequence;
    private int _provisioningSequence;
    private int _failNext;
    private ErpFailureMode _failNextMode;

    public ErpSimulator(ErpSimulatorOptions options, ErpShipmentReporter shipments, TimeProvider time, ILogger<ErpSimulator> logger)
    {
        Options = options;
        _shipments = shipments;
        _time = time;
        _logger = logger;
    }

    public ErpSimulatorOptions Options { get; }

    /// <summary>What was received, by documentId.</summary>
    public IReadOnlyList<ErpReceivedDocument> Received =>
        _byDocument.Values.Select(r =>
        {
            lock (r)
            {
                return r.Snapshot();
            }
        }).OrderBy(r => r.DocumentId, StringComparer.Ordinal).ToList();

    /// <summary>Shipments reported to the hub so far.</summary>
    public IReadOnlyList<ErpShipmentReport> ShipmentReports => _shipments.Reports;

    /// <summary>The next <paramref name="count"/> calls fail transiently with <paramref name="mode"/> (deterministic, for tests).</summary>
    public void FailNext(int count, ErpFailureMode mode = ErpFailureMode.Http503)
    {
        _failNextMode = mode;
        Volatile.Write(ref _failNext, count);
    }

    /// <summary>Forgets everything received.</summary>
    public void Reset()
    {
        _byDocument.Clear();
        _salesOrderOfOrder.Clear();
        _cancelledSalesOrders.Clear();
        _provisionings.Clear();
        Volatile.Write(ref _failNext, 0);
    }

    /// <summary>The SOAP service description of the simulated ErpSalesService.</summary>
    public SoapServiceDescription CreateService() =>
        new SoapServiceDescription(ErpSalesContract.ServiceName, ErpSalesContract.Namespace)
        {
            WsdlProvider = () => SoapWsdlDocuments.ErpSalesService,
            RequireSecurity = Options.RequireSecurity,
            CredentialStore = new InMemorySoapCredentialStore(
                Options.Partners.Select(p => new SoapPartnerCredential(p.Key, p.Value.Username, p.Value.Password))),
        }
        .AddOperation<CreateSalesOrderRequest, CreateSalesOrderResponse>(ErpSalesContract.Actions.CreateSalesOrder, CreateSalesOrderAsync)
        .AddOperation<CancelSalesOrderRequest, CancelSalesOrderResponse>(ErpSalesContract.Actions.CancelSalesOrder, CancelSalesOrderAsync)
        .AddOperation<ProvisionResourcesRequest, ProvisionResourcesResponse>(ErpSalesContract.Actions.ProvisionResources, ProvisionResourcesAsync)
        .AddOperation<ReceiveDocumentRequest, ReceiveDocumentResponse>(ErpSalesContract.Actions.ReceiveDocument, ReceiveDocumentAsync)
        .AddOperation<ReleaseResourcesRequest, ReleaseResourcesResponse>(ErpSalesContract.Actions.ReleaseResources, ReleaseResourcesAsync);

    /// <summary>The key a pushed document is recorded under: its own inbox, apart from the sales-service calls that may share its id (so-…).</summary>
    public static string PushedDocumentKey(string documentId) => "pushed/" + documentId;

    private async Task<CreateSalesOrderResponse> CreateSalesOrderAsync(CreateSalesOrderRequest request, SoapCallContext context)
    {
        Require(request.DocumentId, "documentId", null);
        Require(request.OrderNumber, "orderNumber", request.DocumentId);
        Require(request.CustomerCode, "customerCode", request.DocumentId);
        if (request.Lines.Count == 0 || request.Lines.Any(l => string.IsNullOrWhiteSpace(l.ProductCode) || l.Quantity <= 0 || l.UnitPrice < 0 || l.Discount is < 0 or > 1))
        {
            throw Invalid("Every order needs lines with a product code, a positive quantity, a non-negative price and a discount in 0..1.", request.DocumentId);
        }

        var created = false;
        var response = await HandleAsync(
            "CreateSalesOrder",
            request.DocumentId,
            request.OrderNumber,
            request.CustomerCode,
            context,
            record =>
            {
                if (request.CustomerCode.StartsWith("REJECT", StringComparison.OrdinalIgnoreCase))
                {
                    throw new SoapFaultException(
                        SoapFaultCode.Client,
                        $"Customer {request.CustomerCode} is blocked in the ERP.",
                        new ErpSalesFault { Code = ErpSalesFaultCodes.CustomerRejected, Message = "The customer is blocked for new sales orders.", DocumentId = request.DocumentId });
                }

                var number = $"SO{Interlocked.Increment(ref _salesOrderSequence):D8}";
                _salesOrderOfOrder[request.OrderNumber] = number;
                created = true;
                return (new CreateSalesOrderResponse { SalesOrderNumber = number }, number);
            });

        if (created)
        {
            _shipments.Enqueue(request, response.SalesOrderNumber);
        }

        return response;
    }

    private Task<CancelSalesOrderResponse> CancelSalesOrderAsync(CancelSalesOrderRequest request, SoapCallContext context)
    {
        Require(request.DocumentId, "documentId", null);
        Require(request.OrderNumber, "orderNumber", request.DocumentId);
        return HandleAsync(
            "CancelSalesOrder",
            request.DocumentId,
            request.OrderNumber,
            null,
            context,
            record =>
            {
                // Cancels whatever sales order the order has now; one arriving before the order cancels nothing.
                var cancelled = _salesOrderOfOrder.TryGetValue(request.OrderNumber, out var salesOrder) && _cancelledSalesOrders.TryAdd(salesOrder, true);
                return (new CancelSalesOrderResponse { Cancelled = cancelled }, cancelled ? $"cancelled {salesOrder}" : "nothing to cancel");
            });
    }

    private Task<ProvisionResourcesResponse> ProvisionResourcesAsync(ProvisionResourcesRequest request, SoapCallContext context)
    {
        Require(request.DocumentId, "documentId", null);
        Require(request.OrderNumber, "orderNumber", request.DocumentId);
        Require(request.ProductCode, "productCode", request.DocumentId);
        if (request.Quantity <= 0)
        {
            throw Invalid("quantity must be positive.", request.DocumentId);
        }

        return HandleAsync(
            "ProvisionResources",
            request.DocumentId,
            request.OrderNumber,
            null,
            context,
            record =>
            {
                // A product code starting with NOSTOCK has no resources left: the ERP's business refusal.
                if (request.ProductCode.StartsWith("NOSTOCK", StringComparison.OrdinalIgnoreCase))
                {
                    throw new SoapFaultException(SoapFaultCode.Client, $"No resources left for {request.ProductCode}.",
                        new ErpSalesFault { Code = ErpSalesFaultCodes.NoResources, Message = "No resources left.", DocumentId = request.DocumentId });
                }

                var id = $"PRV{Interlocked.Increment(ref _provisioningSequence):D8}";
                _provisionings[id] = false;
                return (new ProvisionResourcesResponse { ProvisioningId = id }, id);
            });
    }

    private Task<ReceiveDocumentResponse> ReceiveDocumentAsync(ReceiveDocumentRequest request, SoapCallContext context)
    {
        Require(request.DocumentId, "documentId", null);
        Require(request.Kind, "kind", request.DocumentId);
        Require(request.Payload, "payload", request.DocumentId);
        // A pushed document is the hub's mailbox entry delivered: the ERP files it once; a repeat is answered the same.
        return HandleAsync("ReceiveDocument", PushedDocumentKey(request.DocumentId), null, null, context,
            record => (new ReceiveDocumentResponse { Received = true }, request.Kind));
    }

    /// <summary>Releases a provisioning once; an unknown or already released one answers released=false.</summary>
    private Task<ReleaseResourcesResponse> ReleaseResourcesAsync(ReleaseResourcesRequest request, SoapCallContext context)
    {
        Require(request.DocumentId, "documentId", null);
        Require(request.OrderNumber, "orderNumber", request.DocumentId);
        Require(request.ProvisioningId, "provisioningId", request.DocumentId);
        Require(request.Reason, "reason", request.DocumentId);

        return HandleAsync(
            "ReleaseResources",
            request.DocumentId,
            request.OrderNumber,
            null,
            context,
            record =>
            {
                var released = _provisionings.TryUpdate(request.ProvisioningId, true, false);
                return (new ReleaseResourcesResponse { Released = released }, released ? "released" : "nothing to release");
            });
    }

    /// <summary>
    /// The idempotent core: latency, transient failure (before any effect), then the effect once per documentId; a repeat
    /// returns the first answer (or the first refusal).
    /// </summary>
    private async Task<TResponse> HandleAsync<TResponse>(
        string operation,
        string documentId,
        string? orderNumber,
        string? customerCode,
        SoapCallContext context,
        Func<ErpDocumentRecord, (TResponse Response, string Result)> effect)
        where TResponse : class
    {
        if (Options.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Options.LatencyMs), _time, context.CancellationToken);
        }

        var now = _time.GetUtcNow();
        var record = _byDocument.GetOrAdd(documentId, id => new ErpDocumentRecord(id, operation, orderNumber, customerCode, context.PartnerId, now));
        var failure = NextFailure();
        lock (record)
        {
            record.Calls++;
            record.LastReceivedAt = now;
            record.LastSoapVersion = context.Version;
            if (failure is not null)
            {
                record.TransientFailures++;
            }
        }

        if (record.Operation != operation)
        {
            throw new SoapFaultException(
                SoapFaultCode.Client,
                $"documentId {documentId} was already used for {record.Operation}.",
                new ErpSalesFault { Code = ErpSalesFaultCodes.DocumentIdConflict, Message = "The documentId was already used for another operation.", DocumentId = documentId });
        }

        if (failure is { } mode)
        {
            _logger.LogInformation("ERP simulator: transient failure ({Mode}) for {Operation} {DocumentId}", mode, operation, documentId);
            if (mode == ErpFailureMode.Http503)
            {
                await WriteUnavailableAsync(context);
                return null!; // the response has started: the SOAP stack writes nothing more
            }

            throw new SoapFaultException(
                SoapFaultCode.Server,
                "The ERP is temporarily unable to process the request.",
                new ErpSalesFault { Code = ErpSalesFaultCodes.Unavailable, Message = "Try again later.", DocumentId = documentId });
        }

        lock (record)
        {
            if (record.Response is null && record.Refusal is null)
            {
                try
                {
                    var (response, result) = effect(record);
                    record.Response = response;
                    record.Result = result;
                    record.Effects++;
                }
                catch (SoapFaultException refusal) when (refusal.Code == SoapFaultCode.Client)
                {
                    record.Refusal = refusal;
                    record.Result = "refused";
                }
            }

            if (record.Refusal is { } first)
            {
                throw new SoapFaultException(first.Code, first.Reason, first.Detail);
            }

            return (TResponse)record.Response!;
        }
    }

    private ErpFailureMode? NextFailure()
    {
        if (Options.Down)
        {
            return ErpFailureMode.Http503;
        }

        while (true)
        {
            var pending = Volatile.Read(ref _failNext);
            if (pending <= 0)
            {
                break;
            }

            if (Interlocked.CompareExchange(ref _failNext, pending - 1, pending) == pending)
            {
                return Resolve(_failNextMode);
            }
        }

        return Options.FailureRate > 0 && Random.Shared.NextDouble() < Options.FailureRate ? Resolve(Options.FailureMode) : null;

        static ErpFailureMode Resolve(ErpFailureMode mode) => mode == ErpFailureMode.Mixed
            ? (Random.Shared.Next(2) == 0 ? ErpFailureMode.ServerFault : ErpFailureMode.Http503)
            : mode;
    }

    private static async Task WriteUnavailableAsync(SoapCallContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync("Service Unavailable", context.CancellationToken);
        await response.CompleteAsync();
    }

    private static void Require(string? value, string name, string? documentId)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid($"{name} is required.", documentId);
        }
    }

    private static SoapFaultException Invalid(string message, string? documentId) =>
        new(SoapFaultCode.Client, message, new ErpSalesFault { Code = ErpSalesFaultCodes.InvalidRequest, Message = message, DocumentId = documentId });
}
