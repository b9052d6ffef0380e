using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Contracts.Soap.ErpHub;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Soap;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Erp;

/// <summary>
/// The idempotent receiver of the ERP's reports: the first call with a document id claims it (table <c>erp_inbound_document</c>),
/// sends its command to the ERP inbound endpoint and answers once the bus has taken it; a repeat with the same body gets the
/// same receipt and changes nothing; the same document id with another body is a Client fault.
/// </summary>
public sealed class ErpInboundReceiver(HubDbContext db, ISendEndpointProvider bus, TimeProvider clock, ILogger<ErpInboundReceiver> logger)
{
    /// <summary>
    /// Accepts <paramref name="request"/> as <paramref name="documentId"/> of the calling ERP. <paramref name="checkNewDocument"/>
    /// runs only for a document not seen before (e.g. "does the order exist") and may throw a fault; a document id that faulted
    /// there is not claimed, so the ERP can correct the document and send it again.
    /// </summary>
    /// <returns>The receipt (the first one for a repeat).</returns>
    public async Task<Guid> Accept<TCommand>(SoapCallContext call, string documentId, object request,
        Func<Guid, DateTimeOffset, TCommand> command, Func<Task>? checkNewDocument = null)
        where TCommand : class
    {
        var partnerId = call.PartnerId ?? throw new InvalidOperationException("The ERP service requires an authenticated partner.");
        var ct = call.CancellationToken;
        var hash = HashOf(call.Operation.Name, request);
        var document = await Find(partnerId, documentId, ct);
        if (document is null)
        {
            if (checkNewDocument is not null)
                await checkNewDocument();
            document = new ErpInboundDocument
            {
                PartnerId = partnerId, DocumentId = documentId, Operation = call.Operation.Name, RequestHash = hash,
                ReceiptId = Guid.NewGuid(), ReceivedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Add(document);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same document arrived twice at once: the other call claimed it; answer as its repeat.
                db.ChangeTracker.Clear();
                document = await Find(partnerId, documentId, ct) ?? throw new InvalidOperationException($"Document {documentId} could not be claimed.");
            }
        }

        if (document.RequestHash != hash)
            throw ErpHubFaults.Client(ErpHubFaultCodes.DocumentIdConflict,
                $"documentId {documentId} was already used for a different document ({document.Operation}); use a new documentId for a new document.", documentId);

        if (!document.Accepted)
        {
            // Not yet on the bus (first call, or an earlier one failed or crashed before it was): send now. A command sent twice carries
            // the same receipt id, which the consumers drop.
            var receivedAt = new DateTimeOffset(DateTime.SpecifyKind(document.ReceivedAt, DateTimeKind.Utc));
            try
            {
                var endpoint = await bus.GetSendEndpoint(HubQueues.Address(HubQueues.ErpInbound));
                await endpoint.Send(command(document.ReceiptId, receivedAt), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "ERP document {DocumentId} of {PartnerId} could not be put on the bus", documentId, partnerId);
                throw ErpHubFaults.Server("The hub cannot take the document now; send it again later.", documentId);
            }
            document.Accepted = true;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return document.ReceiptId;
    }

    private Task<ErpInboundDocument?> Find(string partnerId, string documentId, CancellationToken ct) =>
        db.Set<ErpInboundDocument>().FirstOrDefaultAsync(d => d.PartnerId == partnerId && d.DocumentId == documentId, ct);

    /// <summary>
    /// SHA-256 of the operation and the request as bound, so the XML's whitespace and prefixes do not matter. A time's offset
    /// is part of the document (the hub keeps it), so the same instant written with another offset is another body.
    /// </summary>
    private static string HashOf(string operation, object request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(operation + "\n" + JsonSerializer.Serialize(request, request.GetType(), JsonSerializerOptions.Web))));
}

/// <summary>The ERP service's faults, each with its typed <see cref="ErpHubFault"/> detail.</summary>
public static class ErpHubFaults
{
    /// <summary>A Client (SOAP 1.2: Sender) fault: the ERP's document is wrong; sending it again unchanged will not help.</summary>
    public static SoapFaultException Client(string code, string message, string? documentId = null) =>
        new(SoapFaultCode.Client, message, new ErpHubFault { Code = code, Message = message, DocumentId = documentId });

    /// <summary>A field is missing or out of range.</summary>
    public static SoapFaultException Invalid(string message, string? documentId = null) =>
        Client(ErpHubFaultCodes.InvalidRequest, message, documentId);

    /// <summary>A Server (SOAP 1.2: Receiver) fault: the hub cannot take the document now; the ERP sends it again later.</summary>
    public static SoapFaultException Server(string message, string? documentId = null) =>
        new(SoapFaultCode.Server, message, new ErpHubFault { Code = ErpHubFaultCodes.Unavailable, Message = message, DocumentId = documentId });
}
