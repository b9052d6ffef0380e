using Crm.Contracts.Erp;
using Crm.Contracts.Soap.ErpHub;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Erp;

/// <summary>How the hub delivers documents to an ERP.</summary>
public enum ErpDelivery
{
    /// <summary>The hub calls the ERP's sales service (the default).</summary>
    Push,
    /// <summary>The ERP polls: documents also wait in its mailbox until it fetches and acknowledges them.</summary>
    Poll,
}

/// <summary>Per-ERP delivery, bound from <c>Soap:Partners:&lt;erp&gt;:Delivery</c> (beside the UsernameToken credentials).</summary>
public sealed class ErpDeliveryOptions
{
    public const string Section = "Soap";

    /// <summary>ERP partner id → its settings.</summary>
    public Dictionary<string, ErpPartnerDelivery> Partners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The partners that poll their mailbox.</summary>
    public IEnumerable<string> PollingPartners => Partners.Where(p => p.Value.Delivery == ErpDelivery.Poll).Select(p => p.Key).Order(StringComparer.Ordinal);
}

/// <summary>One ERP's delivery setting.</summary>
public sealed class ErpPartnerDelivery
{
    public ErpDelivery Delivery { get; set; } = ErpDelivery.Push;

    /// <summary>
    /// Data scope of the ERP's queries (<c>Soap:Partners:&lt;erp&gt;:Regions:&lt;n&gt;</c>): it sees the customers of these
    /// regions and their orders; none configured: the whole book (an ERP serving the whole company).
    /// </summary>
    public string[] Regions { get; set; } = [];
}

/// <summary>
/// The store-and-forward mailbox of ERPs that only poll (table <c>erp_outbound_document</c>). <see cref="Place"/> is the one way in:
/// the sales order push path calls it, and any other capability sends <see cref="PlaceErpOutboundDocument"/> (customer changes).
/// </summary>
public sealed class ErpMailbox(HubDbContext db, IOptions<ErpDeliveryOptions> delivery, TimeProvider clock)
{
    /// <summary>Most documents one fetch returns.</summary>
    public const int MaxFetch = 100;

    /// <summary>
    /// Adds the document to the mailbox of every polling ERP that does not hold it yet; the caller saves (in a consumer, together
    /// with what it publishes).
    /// </summary>
    public async Task Place(PlaceErpOutboundDocument document, CancellationToken ct)
    {
        var partners = delivery.Value.PollingPartners.ToArray();
        if (partners.Length == 0)
            return;
        var holding = await db.Set<ErpOutboundDocument>().AsNoTracking()
            .Where(d => d.DocumentId == document.DocumentId && partners.Contains(d.PartnerId)).Select(d => d.PartnerId).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var partner in partners.Except(holding))
            db.Add(new ErpOutboundDocument
            {
                PartnerId = partner, DocumentId = document.DocumentId, Kind = document.Kind, Payload = document.Payload, CreatedAt = now,
            });
    }

    /// <summary>Up to <paramref name="maxCount"/> pending documents of <paramref name="partnerId"/>, oldest first.</summary>
    public async Task<List<OutboundDocument>> Pending(string partnerId, int maxCount, CancellationToken ct) =>
        (await db.Set<ErpOutboundDocument>().AsNoTracking()
            .Where(d => d.PartnerId == partnerId && d.AcknowledgedAt == null)
            .OrderBy(d => d.Id).Take(maxCount).ToListAsync(ct))
        .Select(d => new OutboundDocument
        {
            DocumentId = d.DocumentId, Kind = d.Kind, Payload = d.Payload, CreatedAt = DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc),
        }).ToList();

    /// <summary>
    /// Marks <paramref name="documentIds"/> of <paramref name="partnerId"/>'s mailbox done. Acknowledging again is no error: the
    /// answer counts every id the mailbox holds, acknowledged now or before, and lists the ids it does not hold.
    /// </summary>
    public async Task<AcknowledgeOutboundDocumentsResponse> Acknowledge(string partnerId, IReadOnlyCollection<string> documentIds, CancellationToken ct)
    {
        var documents = await db.Set<ErpOutboundDocument>()
            .Where(d => d.PartnerId == partnerId && documentIds.Contains(d.DocumentId)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var d in documents.Where(d => d.AcknowledgedAt is null))
            d.AcknowledgedAt = now;
        await db.SaveChangesAsync(ct);
        var unknown = documentIds.Except(documents.Select(d => d.DocumentId), StringComparer.Ordinal).ToList();
        return new AcknowledgeOutboundDocumentsResponse { AcknowledgedCount = documents.Count, UnknownDocumentIds = unknown.Count > 0 ? unknown : null };
    }
}

/// <summary>Places a document in the polling ERPs' mailboxes (the seam for customer changes and other outbound documents).</summary>
public sealed class PlaceErpOutboundDocumentConsumer(ErpMailbox mailbox, HubDbContext db) : IConsumer<PlaceErpOutboundDocument>
{
    public async Task Consume(ConsumeContext<PlaceErpOutboundDocument> context)
    {
        await mailbox.Place(context.Message, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>The mailbox is the ERP gateway's too.</summary>
public sealed class PlaceErpOutboundDocumentConsumerDefinition : ConsumerDefinition<PlaceErpOutboundDocumentConsumer>
{
    public PlaceErpOutboundDocumentConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}

/// <summary>The kinds of documents in the ERP mailbox.</summary>
public static class ErpOutboundDocumentKinds
{
    /// <summary>A sales order the hub created (payload: ErpSalesService's CreateSalesOrder element).</summary>
    public const string SalesOrder = "SalesOrder";
    /// <summary>A customer created or changed in the hub (placed by the customers capability).</summary>
    public const string CustomerChanged = "CustomerChanged";
}
