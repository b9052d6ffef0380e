using System.Collections.Concurrent;
using Crm.Contracts.Erp;
using Crm.Contracts.Soap.ErpSales;
using Hub.Infrastructure;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Hub.Soap;
using Hub.Soap.Client;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Hub.Adapters.Erp;

/// <summary>Push delivery of mailbox documents to the ERPs configured for it.</summary>
public static class ErpDocumentPush
{
    /// <summary>Sends the pushes <see cref="ErpMailbox.Place"/> returned, through the consumer's outbox (they leave with its commit).</summary>
    public static async Task Start(ConsumeContext context, IReadOnlyList<PushErpOutboundDocument> pushes)
    {
        if (pushes.Count == 0)
            return;
        var gateway = await context.GetSendEndpoint(HubQueues.Address(HubQueues.ErpGateway));
        foreach (var push in pushes)
            await gateway.Send(push, context.CancellationToken);
    }
}

/// <summary>
/// One SOAP client per pushed ERP, at its <c>PushUrl</c> (default <c>Partners:Erp:BaseUrl</c>) with the ERP partner's credentials and
/// Polly pipeline (<c>Partners:Erp:Resilience</c>); each ERP keeps its own circuit breaker, so one ERP down does not stop the others.
/// </summary>
public sealed class ErpPushClients(IHttpClientFactory http, IOptionsMonitor<PartnerOptions> partners, IOptions<ErpDeliveryOptions> delivery,
    PartnerCircuits circuits, ILogger<ErpSalesClient> logger)
{
    private readonly ConcurrentDictionary<string, SoapClientOptions> _options = new(StringComparer.Ordinal);

    /// <summary>The client for <paramref name="partnerId"/>'s ErpSalesService.</summary>
    public ErpSalesClient For(string partnerId) =>
        new(http.CreateClient(nameof(ErpPushClients)), _options.GetOrAdd(partnerId, id =>
        {
            var erp = partners.Get("Erp");
            var options = AdaptersModule.ErpClientOptions(erp, circuits, "erp-push-" + id);
            options.Endpoint = new Uri(delivery.Value.Partners.TryGetValue(id, out var p) && !string.IsNullOrWhiteSpace(p.PushUrl) ? p.PushUrl : erp.BaseUrl);
            return options;
        }), logger);
}

/// <summary>
/// Delivers one mailbox entry to its ERP by ErpSalesService's ReceiveDocument and acknowledges it on success. While the ERP cannot
/// take it (network, 5xx, Server fault, open circuit) the entry stays pending and the push is scheduled again on the durable
/// scheduler, waiting longer each time (<see cref="ErpDeliveryOptions.PushWait"/>), until it is delivered: nothing is lost while the
/// ERP is down. A Client fault is the ERP refusing the document: no retry helps, so it stays pending with the reason, for the
/// ERP's fetch (delivery both) or operations to see.
/// </summary>
public sealed class PushErpOutboundDocumentConsumer(HubDbContext db, ErpPushClients clients, IOptions<ErpDeliveryOptions> delivery,
    TimeProvider clock, ILogger<PushErpOutboundDocumentConsumer> logger) : IConsumer<PushErpOutboundDocument>
{
    public async Task Consume(ConsumeContext<PushErpOutboundDocument> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var entry = await db.Set<ErpOutboundDocument>().FirstOrDefaultAsync(d => d.PartnerId == m.PartnerId && d.DocumentId == m.DocumentId, ct);
        // Delivered already (a repeated push, or fetched and acknowledged by an ERP that also polls), or the ERP polls now.
        if (entry is null || entry.AcknowledgedAt is not null || !delivery.Value.Pushes(m.PartnerId))
            return;

        entry.PushAttempts++;
        try
        {
            await clients.For(m.PartnerId).ReceiveDocument(new ReceiveDocumentRequest
            {
                DocumentId = entry.DocumentId, Kind = entry.Kind, Payload = entry.Payload, CreatedAt = DateTime.SpecifyKind(entry.CreatedAt, DateTimeKind.Utc),
            }, ct);
            entry.AcknowledgedAt = clock.GetUtcNow().UtcDateTime;
            entry.AcknowledgedBy = ErpOutboundDocument.ByPush;
            entry.LastPushError = null;
        }
        catch (SoapFaultException fault) when (fault.Code == SoapFaultCode.Client)
        {
            logger.LogWarning("ERP {PartnerId} refused document {DocumentId}: {Reason}", m.PartnerId, m.DocumentId, fault.Reason);
            entry.LastPushError = Truncate("refused: " + fault.Reason);
        }
        catch (Exception e) when (SoapClient.IsTransient(e) || e is BrokenCircuitException)
        {
            var wait = delivery.Value.PushWait(m.Attempt + 1);
            logger.LogInformation("Push of document {DocumentId} to ERP {PartnerId} failed ({Reason}); next attempt in {Wait}", m.DocumentId, m.PartnerId, e.Message, wait);
            entry.LastPushError = Truncate(e.Message);
            await context.ScheduleSend(HubQueues.Address(HubQueues.ErpGateway), wait, m with { Attempt = m.Attempt + 1 }, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}

/// <summary>On the ERP gateway endpoint, with the other ERP commands.</summary>
public sealed class PushErpOutboundDocumentConsumerDefinition : ConsumerDefinition<PushErpOutboundDocumentConsumer>
{
    public PushErpOutboundDocumentConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}
