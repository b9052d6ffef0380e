using System.Collections.Concurrent;
using System.Threading.Channels;
using Crm.Contracts.Soap.ErpHub;
using Crm.Contracts.Soap.ErpSales;

namespace Hub.Simulators.Erp;

/// <summary>
/// After the simulated ERP creates a sales order, reports its shipment to the hub (ReportShipment on /soap/erp) once
/// <see cref="ErpSimulatorOptions.ShipmentDelay"/> has passed. Best effort: failures are logged and recorded, not retried
/// beyond the client's own pipeline. Does nothing unless <see cref="ErpSimulatorOptions.ReportShipmentsToHub"/> is set.
/// </summary>
public sealed class ErpShipmentReporter(
    ErpSimulatorOptions options,
    IHttpClientFactory httpClientFactory,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly Channel<(CreateSalesOrderRequest Order, string SalesOrderNumber)> _queue =
        Channel.CreateUnbounded<(CreateSalesOrderRequest, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<ErpShipmentReport> _reports = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<ErpShipmentReporter>();
    private readonly Lock _callerLock = new();
    private (string Url, ErpHubCaller Caller)? _caller;

    public IReadOnlyList<ErpShipmentReport> Reports => _reports.ToArray();

    /// <summary>Queues the shipment report of a newly created sales order (ignored when reporting is off).</summary>
    public void Enqueue(CreateSalesOrderRequest order, string salesOrderNumber)
    {
        if (!string.IsNullOrWhiteSpace(options.ReportShipmentsToHub))
        {
            _queue.Writer.TryWrite((order, salesOrderNumber));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<Task>();
        try
        {
            await foreach (var (order, salesOrderNumber) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                pending.RemoveAll(t => t.IsCompleted);
                pending.Add(ReportLaterAsync(order, salesOrderNumber, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task ReportLaterAsync(CreateSalesOrderRequest order, string salesOrderNumber, CancellationToken cancellationToken)
    {
        var request = new ReportShipmentRequest
        {
            DocumentId = $"ERP-SHP-{salesOrderNumber}",
            OrderNumber = order.OrderNumber,
            ShipmentNumber = $"SH{salesOrderNumber[2..]}",
            Lines = order.Lines.Select(l => new ShipmentLine { ProductCode = l.ProductCode, Quantity = l.Quantity }).ToList(),
        };

        try
        {
            await Task.Delay(options.ShipmentDelay, time, cancellationToken).ConfigureAwait(false);
            request.ShippedAt = time.GetUtcNow();
            var response = await GetCaller().ReportShipmentAsync(request, cancellationToken).ConfigureAwait(false);
            _reports.Enqueue(new ErpShipmentReport(request.DocumentId, request.OrderNumber, salesOrderNumber, request.ShipmentNumber, true, response.Accepted, response.ReceiptId, null, time.GetUtcNow()));
            _logger.LogInformation("ERP simulator: shipment {Shipment} of {Order} reported, accepted={Accepted}", request.ShipmentNumber, request.OrderNumber, response.Accepted);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _reports.Enqueue(new ErpShipmentReport(request.DocumentId, request.OrderNumber, salesOrderNumber, request.ShipmentNumber, false, null, null, ex.Message, time.GetUtcNow()));
            _logger.LogWarning(ex, "ERP simulator: shipment {Shipment} of {Order} could not be reported to the hub", request.ShipmentNumber, request.OrderNumber);
        }
    }

    private ErpHubCaller GetCaller()
    {
        var url = options.ReportShipmentsToHub ?? throw new InvalidOperationException("ReportShipmentsToHub is not set.");
        lock (_callerLock)
        {
            if (_caller is { } existing && existing.Url == url)
            {
                return existing.Caller;
            }

            var caller = new ErpHubCaller(
                httpClientFactory.CreateClient(ErpHubCaller.HttpClientName),
                new ErpHubCallerOptions
                {
                    HubBaseUrl = new Uri(url, UriKind.Absolute),
                    Path = options.HubPath,
                    Username = options.HubUsername,
                    Password = options.HubPassword,
                    UsePasswordDigest = options.HubUsePasswordDigest,
                    Version = options.HubSoapVersion,
                },
                loggerFactory.CreateLogger<ErpHubCaller>());
            _caller = (url, caller);
            return caller;
        }
    }
}
