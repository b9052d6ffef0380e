using Crm.Contracts.Erp;
using Crm.Contracts.Soap.ErpHub;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Erp;

/// <summary>How the hub delivers its outbound documents (sales orders, customer changes) to an ERP.</summary>
public enum ErpDelivery
{
    /// <summary>The hub calls the ERP's ReceiveDocument for each document and acknowledges it on success (the default).</summary>
    Push,
    /// <summary>The ERP polls: documents wait in its mailbox until it fetches and acknowledges them.</summary>
    Poll,
    /// <summary>Pushed as for <see cref="Push"/>; what the push has not delivered yet can also be fetched.</summary>
    Both,
}

/// <summary>
/// Per-ERP delivery, bound from <c>Soap:Partners:&lt;erp&gt;:Delivery</c> and <c>PushUrl</c> (beside the UsernameToken credentials), and
/// the waits between push attempts (<c>Soap:PushRetryAfter</c>, doubled per failed attempt up to <c>Soap:PushMaxRetryAfter</c>).
/// </summary>
public sealed class ErpDeliveryOptions
{
    public const string Section = "Soap";

    /// <summary>ERP partner id → its settings.</summary>
    public Dictionary<string, ErpPartnerDelivery> Partners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Wait after the first failed push.</summary>
    public TimeSpan PushRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between push attempts; a document is pushed until it is delivered (or fetched, for <see cref="ErpDelivery.Both"/>).</summary>
    public TimeSpan PushMaxRetryAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Every ERP: each gets every outbound document in its mailbox, whatever its delivery.</summary>
    public IEnumerable<string> Recipients => Partners.Keys.Order(StringComparer.Ordinal);

    /// <summary>Whether the hub pushes documents to <paramref name="partnerId"/>.</summary>
    public bool Pushes(string partnerId) => Partners.TryGetValue(partnerId, out var p) && p.Delivery is ErpDelivery.Push or ErpDelivery.Both;

    /// <summary>Whether <paramref name="partnerId"/> fetches its documents (a push-only ERP's mailbox is the push's retry record, not fetched).</summary>
    public bool Fetches(string partnerId) => Partners.TryGetValue(partnerId, out var p) && p.Delivery is ErpDelivery.Poll or ErpDelivery.Both;

    /// <summary>The wait before the push after <paramref name="failedAttempts"/> failures.</summary>
    public TimeSpan PushWait(int failedAttempts) =>
        TimeSpan.FromTicks(Math.Min(PushMaxRetryAfter.Ticks, PushRetryAfter.Ticks * (1L << Math.Clamp(failedAttempts - 1, 0, 20))));
}

/// <summary>One ERP's delivery setting.</summary>
public sealed class ErpPartnerDelivery
{
    public ErpDelivery Delivery { get; set; } = ErpDelivery.Push;

    /// <summary>The ERP's ErpSalesService address for pushed documents; default <c>Partners:Erp:BaseUrl</c>.</summary>
    public string? PushUrl { get; set; }

    /// <summary>
    /// Data scope of the ERP's queries (<c>Soap:Partners:&lt;erp&gt;:Regions:&lt;n&gt;</c>): it sees the customers of these
    /// regions and their orders; none configured: the whole book (an ERP serving the whole company).
    /// </summary>
    public string[] Regions { get; set; } = [];
}

/// <summary>
/// The store-and-forward mailbox of the ERPs (table <c>erp_outbound_document</c>): every outbound document is placed for every ERP;
/// polling ERPs fetch and acknowledge theirs, pushed ones are delivered by <see cref="PushErpOutboundDocumentConsumer"/>, which
/// acknowledges on success. <see cref="Place"/> is the one way in: the sales order path calls it, and any other capability sends
/// <see cref="PlaceErpOutboundDocument"/> (customer changes).
/// </summary>
public sealed class ErpMailbox(HubDbContext db, IOptions<ErpDeliveryOptions> delivery, TimeProvider clock)
{
    /// <summary>Most documents one fetch returns.</summary>
    public const int MaxFetch = 100;

    /// <summary>
    /// Adds the document to the mailbox of every ERP that does not hold it yet; the caller saves and sends the returned pushes
    /// (in a consumer, together with what it publishes, so a placed document is never left without its push).
    /// </summary>
    /// <returns>One push per new entry of an ERP whose delivery is push or both.</returns>
    public async Task<IReadOnlyList<PushErpOutboundDocument>> Place(PlaceErpOutboundDocument document, CancellationToken ct)
    {
        var options = delivery.Value;
        var partners = options.Recipients.ToArray();
        if (partners.Length == 0)
            return [];
        var holding = await db.Set<ErpOutboundDocument>().AsNoTracking()
            .Where(d => d.DocumentId == document.DocumentId && partners.Contains(d.PartnerId)).Select(d => d.PartnerId).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var pushes = new List<PushErpOutboundDocument>();
        foreach (var partner in partners.Except(holding))
        {
            db.Add(new ErpOutboundDocument
            {
                PartnerId = partner, DocumentId = document.DocumentId, Kind = document.Kind, Payload = document.Payload, CreatedAt = now,
            });
            if (options.Pushes(partner))
                pushes.Add(new PushErpOutboundDocument(partner, document.DocumentId));
        }
        return pushes;
    }

    /// <summary>Up to <paramref name="maxCount"/> pending documents of <paramref name="partnerId"/>, oldest first (none for a push-only ERP).</summary>
    public async Task<List<OutboundDocument>> Pending(string partnerId, int maxCount, CancellationToken ct) =>
        !delivery.Value.Fetches(partnerId) ? [] :
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
        {
            d.AcknowledgedAt = now;
            d.AcknowledgedBy = ErpOutboundDocument.ByErp;
        }
        await db.SaveChangesAsync(ct);
        var unknown = documentIds.Except(documents.Select(d => d.DocumentId), StringComparer.Ordinal).ToList();
        return new AcknowledgeOutboundDocumentsResponse { AcknowledgedCount = documents.Count, UnknownDocumentIds = unknown.Count > 0 ? unknown : null };
    }
}

/// <summary>Places a document in the ERPs' mailboxes and starts its pushes (the seam for customer changes and other outbound documents).</summary>
public sealed class PlaceErpOutboundDocumentConsumer(ErpMailbox mailbox, HubDbContext db) : IConsumer<PlaceErpOutboundDocument>
{
    public async Task Consume(ConsumeContext<PlaceErpOutboundDocument> context)
    {
        var pushes = await mailbox.Place(context.Message, context.CancellationToken);
        await ErpDocumentPush.Start(context, pushes);
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
