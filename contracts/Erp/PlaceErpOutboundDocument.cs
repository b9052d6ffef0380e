namespace Crm.Contracts.Erp;

/// <summary>
/// Command to the ERP gateway: place a document in the outbound mailbox of every ERP (<c>Soap:Partners:&lt;erp&gt;</c>): an ERP
/// that polls fetches it with FetchOutboundDocuments, one configured for push gets it by a SOAP call (<see cref="PushErpOutboundDocument"/>). <paramref name="Kind"/> names the
/// document (SalesOrder, CustomerChanged); <paramref name="Payload"/> is the document as XML text; <paramref name="DocumentId"/> is
/// stable for the business effect, so placing it again changes nothing.
/// </summary>
public sealed record PlaceErpOutboundDocument(string DocumentId, string Kind, string Payload);
