using System.ComponentModel;
using System.Xml.Serialization;

namespace Crm.Contracts.Soap.ErpHub;

// XmlSerializer contracts of ErpHubService.wsdl (document/literal wrapped). Every type carries both XmlRoot and
// XmlType with the target namespace, so child elements are qualified as the schema's elementFormDefault="qualified" says.
// Times the ERP reports are xs:dateTime kept with their offset (DateTimeOffset, bound as text through XsDateTime: XmlSerializer
// would read "+08:00" as this machine's local time); a value without an offset means UTC. Other times: DateTime in UTC.

/// <summary>Names of ErpHubService.wsdl.</summary>
public static class ErpHubContract
{
    public const string Namespace = "urn:crm-hub:erp-hub:v1";
    public const string ServiceName = "ErpHubService";

    /// <summary>The path the hub serves the service at.</summary>
    public const string DefaultPath = "/soap/erp";

    /// <summary>The soapAction of each operation (SOAPAction header in 1.1, action parameter in 1.2).</summary>
    public static class Actions
    {
        public const string ReportShipment = Namespace + "/ReportShipment";
        public const string ReportInvoice = Namespace + "/ReportInvoice";
        public const string ReportPaymentReceipt = Namespace + "/ReportPaymentReceipt";
        public const string ReportStockLevel = Namespace + "/ReportStockLevel";
        public const string ReportProductChange = Namespace + "/ReportProductChange";
        public const string QueryCustomer = Namespace + "/QueryCustomer";
        public const string QueryOrder = Namespace + "/QueryOrder";
        public const string FetchOutboundDocuments = Namespace + "/FetchOutboundDocuments";
        public const string AcknowledgeOutboundDocuments = Namespace + "/AcknowledgeOutboundDocuments";
    }
}

/// <summary>The ERP shipped (part of) an order.</summary>
[XmlRoot("ReportShipment", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportShipment", Namespace = ErpHubContract.Namespace)]
public sealed class ReportShipmentRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("shipmentNumber", Order = 2)]
    public string ShipmentNumber { get; set; } = string.Empty;

    /// <summary>As the ERP wrote it: the instant and the ERP's offset (no offset on the wire: UTC).</summary>
    [XmlIgnore]
    public DateTimeOffset ShippedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="ShippedAt"/> (what XmlSerializer reads and writes).</summary>
    [XmlElement("shippedAt", Order = 3)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string ShippedAtText { get => XsDateTime.Format(ShippedAt); set => ShippedAt = XsDateTime.Parse(value); }

    [XmlArray("lines", Order = 4)]
    [XmlArrayItem("line")]
    public List<ShipmentLine> Lines { get; set; } = [];
}

/// <summary>One shipped product and quantity.</summary>
[XmlType("ShipmentLine", Namespace = ErpHubContract.Namespace)]
public sealed class ShipmentLine
{
    [XmlElement("productCode", Order = 0)]
    public string ProductCode { get; set; } = string.Empty;

    [XmlElement("quantity", Order = 1)]
    public int Quantity { get; set; }
}

/// <summary>Answer to ReportShipment: whether the hub accepted the document, and its receipt id (the same for a repeated documentId).</summary>
[XmlRoot("ReportShipmentResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportShipmentResponse", Namespace = ErpHubContract.Namespace)]
public sealed class ReportShipmentResponse
{
    [XmlElement("accepted", Order = 0)]
    public bool Accepted { get; set; }

    [XmlElement("receiptId", Order = 1)]
    public string ReceiptId { get; set; } = string.Empty;
}

/// <summary>The ERP issued an invoice for an order.</summary>
[XmlRoot("ReportInvoice", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportInvoice", Namespace = ErpHubContract.Namespace)]
public sealed class ReportInvoiceRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("invoiceNumber", Order = 2)]
    public string InvoiceNumber { get; set; } = string.Empty;

    [XmlElement("amount", Order = 3)]
    public decimal Amount { get; set; }

    /// <summary>As the ERP wrote it: the instant and the ERP's offset (no offset on the wire: UTC).</summary>
    [XmlIgnore]
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="IssuedAt"/> (what XmlSerializer reads and writes).</summary>
    [XmlElement("issuedAt", Order = 4)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string IssuedAtText { get => XsDateTime.Format(IssuedAt); set => IssuedAt = XsDateTime.Parse(value); }
}

/// <summary>Answer to ReportInvoice: whether the hub accepted the document, and its receipt id (the same for a repeated documentId).</summary>
[XmlRoot("ReportInvoiceResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportInvoiceResponse", Namespace = ErpHubContract.Namespace)]
public sealed class ReportInvoiceResponse
{
    [XmlElement("accepted", Order = 0)]
    public bool Accepted { get; set; }

    [XmlElement("receiptId", Order = 1)]
    public string ReceiptId { get; set; } = string.Empty;
}

/// <summary>The ERP received a payment for an order.</summary>
[XmlRoot("ReportPaymentReceipt", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportPaymentReceipt", Namespace = ErpHubContract.Namespace)]
public sealed class ReportPaymentReceiptRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("receiptNumber", Order = 2)]
    public string ReceiptNumber { get; set; } = string.Empty;

    [XmlElement("amount", Order = 3)]
    public decimal Amount { get; set; }

    /// <summary>As the ERP wrote it: the instant and the ERP's offset (no offset on the wire: UTC).</summary>
    [XmlIgnore]
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="ReceivedAt"/> (what XmlSerializer reads and writes).</summary>
    [XmlElement("receivedAt", Order = 4)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string ReceivedAtText { get => XsDateTime.Format(ReceivedAt); set => ReceivedAt = XsDateTime.Parse(value); }
}

/// <summary>Answer to ReportPaymentReceipt: whether the hub accepted the document, and its receipt id (the same for a repeated documentId).</summary>
[XmlRoot("ReportPaymentReceiptResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportPaymentReceiptResponse", Namespace = ErpHubContract.Namespace)]
public sealed class ReportPaymentReceiptResponse
{
    [XmlElement("accepted", Order = 0)]
    public bool Accepted { get; set; }

    [XmlElement("receiptId", Order = 1)]
    public string ReceiptId { get; set; } = string.Empty;
}

/// <summary>The stock level of a product in a warehouse.</summary>
[XmlRoot("ReportStockLevel", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportStockLevel", Namespace = ErpHubContract.Namespace)]
public sealed class ReportStockLevelRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("productCode", Order = 1)]
    public string ProductCode { get; set; } = string.Empty;

    [XmlElement("warehouse", Order = 2)]
    public string Warehouse { get; set; } = string.Empty;

    [XmlElement("quantity", Order = 3)]
    public int Quantity { get; set; }
}

/// <summary>Answer to ReportStockLevel: whether the hub accepted the document, and its receipt id (the same for a repeated documentId).</summary>
[XmlRoot("ReportStockLevelResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportStockLevelResponse", Namespace = ErpHubContract.Namespace)]
public sealed class ReportStockLevelResponse
{
    [XmlElement("accepted", Order = 0)]
    public bool Accepted { get; set; }

    [XmlElement("receiptId", Order = 1)]
    public string ReceiptId { get; set; } = string.Empty;
}

/// <summary>A product was created or changed in the ERP (state e.g. Active, Discontinued).</summary>
[XmlRoot("ReportProductChange", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportProductChange", Namespace = ErpHubContract.Namespace)]
public sealed class ReportProductChangeRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("productCode", Order = 1)]
    public string ProductCode { get; set; } = string.Empty;

    [XmlElement("name", Order = 2)]
    public string Name { get; set; } = string.Empty;

    [XmlElement("specModel", Order = 3)]
    public string? SpecModel { get; set; }

    [XmlElement("state", Order = 4)]
    public string State { get; set; } = string.Empty;
}

/// <summary>Answer to ReportProductChange: whether the hub accepted the document, and its receipt id (the same for a repeated documentId).</summary>
[XmlRoot("ReportProductChangeResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("ReportProductChangeResponse", Namespace = ErpHubContract.Namespace)]
public sealed class ReportProductChangeResponse
{
    [XmlElement("accepted", Order = 0)]
    public bool Accepted { get; set; }

    [XmlElement("receiptId", Order = 1)]
    public string ReceiptId { get; set; } = string.Empty;
}

/// <summary>Ask the hub for a customer's summary.</summary>
[XmlRoot("QueryCustomer", Namespace = ErpHubContract.Namespace)]
[XmlType("QueryCustomer", Namespace = ErpHubContract.Namespace)]
public sealed class QueryCustomerRequest
{
    [XmlElement("customerCode", Order = 0)]
    public string CustomerCode { get; set; } = string.Empty;
}

/// <summary>The customer, or no customer element when the hub knows none.</summary>
[XmlRoot("QueryCustomerResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("QueryCustomerResponse", Namespace = ErpHubContract.Namespace)]
public sealed class QueryCustomerResponse
{
    [XmlElement("customer", Order = 0, IsNullable = false)]
    public CustomerSummary? Customer { get; set; }
}

/// <summary>A customer as the hub knows it.</summary>
[XmlType("CustomerSummary", Namespace = ErpHubContract.Namespace)]
public sealed class CustomerSummary
{
    [XmlElement("customerCode", Order = 0)]
    public string CustomerCode { get; set; } = string.Empty;

    [XmlElement("name", Order = 1)]
    public string Name { get; set; } = string.Empty;

    [XmlElement("status", Order = 2)]
    public string Status { get; set; } = string.Empty;

    [XmlElement("email", Order = 3)]
    public string? Email { get; set; }
}

/// <summary>Ask the hub for an order's status.</summary>
[XmlRoot("QueryOrder", Namespace = ErpHubContract.Namespace)]
[XmlType("QueryOrder", Namespace = ErpHubContract.Namespace)]
public sealed class QueryOrderRequest
{
    [XmlElement("orderNumber", Order = 0)]
    public string OrderNumber { get; set; } = string.Empty;
}

/// <summary>The order, or no order element when the hub knows none.</summary>
[XmlRoot("QueryOrderResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("QueryOrderResponse", Namespace = ErpHubContract.Namespace)]
public sealed class QueryOrderResponse
{
    [XmlElement("order", Order = 0, IsNullable = false)]
    public OrderSummary? Order { get; set; }
}

/// <summary>An order's status, its ERP sales order number if any, and its shipments, invoices and payments.</summary>
[XmlType("OrderSummary", Namespace = ErpHubContract.Namespace)]
public sealed class OrderSummary
{
    [XmlElement("orderNumber", Order = 0)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("status", Order = 1)]
    public string Status { get; set; } = string.Empty;

    [XmlElement("erpSalesOrderNumber", Order = 2)]
    public string? ErpSalesOrderNumber { get; set; }

    /// <summary>The order's shipments, oldest first (absent when there are none; added in the second edition of the service).</summary>
    [XmlArray("shipments", Order = 3, IsNullable = false)]
    [XmlArrayItem("shipment")]
    public List<OrderShipment>? Shipments { get; set; }

    /// <summary>The order's invoices, oldest first (absent when there are none).</summary>
    [XmlArray("invoices", Order = 4, IsNullable = false)]
    [XmlArrayItem("invoice")]
    public List<OrderInvoice>? Invoices { get; set; }

    /// <summary>Money received for the order, oldest first, from the ERP and from billing (absent when there is none).</summary>
    [XmlArray("payments", Order = 5, IsNullable = false)]
    [XmlArrayItem("payment")]
    public List<OrderPayment>? Payments { get; set; }

    /// <summary>XmlSerializer convention: omit the element when empty, so clients of the first edition see the answer they know.</summary>
    public bool ShouldSerializeShipments() => Shipments is { Count: > 0 };

    /// <summary>See <see cref="ShouldSerializeShipments"/>.</summary>
    public bool ShouldSerializeInvoices() => Invoices is { Count: > 0 };

    /// <summary>See <see cref="ShouldSerializeShipments"/>.</summary>
    public bool ShouldSerializePayments() => Payments is { Count: > 0 };
}

/// <summary>A shipment of an order: the hub's receipt of the ERP's report, its number, when it left (as the ERP wrote it) and what it carried.</summary>
[XmlType("OrderShipment", Namespace = ErpHubContract.Namespace)]
public sealed class OrderShipment
{
    [XmlElement("receiptId", Order = 0)]
    public string ReceiptId { get; set; } = string.Empty;

    [XmlElement("shipmentNumber", Order = 1)]
    public string ShipmentNumber { get; set; } = string.Empty;

    /// <summary>As the ERP wrote it.</summary>
    [XmlIgnore]
    public DateTimeOffset ShippedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="ShippedAt"/>.</summary>
    [XmlElement("shippedAt", Order = 2)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string ShippedAtText { get => XsDateTime.Format(ShippedAt); set => ShippedAt = XsDateTime.Parse(value); }

    [XmlArray("lines", Order = 3)]
    [XmlArrayItem("line")]
    public List<ShipmentLine> Lines { get; set; } = [];
}

/// <summary>An invoice of an order.</summary>
[XmlType("OrderInvoice", Namespace = ErpHubContract.Namespace)]
public sealed class OrderInvoice
{
    [XmlElement("receiptId", Order = 0)]
    public string ReceiptId { get; set; } = string.Empty;

    [XmlElement("invoiceNumber", Order = 1)]
    public string InvoiceNumber { get; set; } = string.Empty;

    [XmlElement("amount", Order = 2)]
    public decimal Amount { get; set; }

    /// <summary>As the ERP wrote it.</summary>
    [XmlIgnore]
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="IssuedAt"/>.</summary>
    [XmlElement("issuedAt", Order = 3)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string IssuedAtText { get => XsDateTime.Format(IssuedAt); set => IssuedAt = XsDateTime.Parse(value); }
}

/// <summary>Money received for an order: the ERP's receipt number, or billing's charge id for a billing payment.</summary>
[XmlType("OrderPayment", Namespace = ErpHubContract.Namespace)]
public sealed class OrderPayment
{
    [XmlElement("receiptId", Order = 0)]
    public string ReceiptId { get; set; } = string.Empty;

    [XmlElement("receiptNumber", Order = 1)]
    public string ReceiptNumber { get; set; } = string.Empty;

    [XmlElement("amount", Order = 2)]
    public decimal Amount { get; set; }

    /// <summary>As the reporting system wrote it.</summary>
    [XmlIgnore]
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The xs:dateTime text of <see cref="ReceivedAt"/>.</summary>
    [XmlElement("receivedAt", Order = 3)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string ReceivedAtText { get => XsDateTime.Format(ReceivedAt); set => ReceivedAt = XsDateTime.Parse(value); }
}

/// <summary>Fetch up to maxCount documents the hub has queued for the ERP (kept until acknowledged).</summary>
[XmlRoot("FetchOutboundDocuments", Namespace = ErpHubContract.Namespace)]
[XmlType("FetchOutboundDocuments", Namespace = ErpHubContract.Namespace)]
public sealed class FetchOutboundDocumentsRequest
{
    [XmlElement("maxCount", Order = 0)]
    public int MaxCount { get; set; }
}

/// <summary>Queued documents, oldest first.</summary>
[XmlRoot("FetchOutboundDocumentsResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("FetchOutboundDocumentsResponse", Namespace = ErpHubContract.Namespace)]
public sealed class FetchOutboundDocumentsResponse
{
    [XmlArray("documents", Order = 0)]
    [XmlArrayItem("document")]
    public List<OutboundDocument> Documents { get; set; } = [];
}

/// <summary>A document queued for the ERP; payload is the document as XML text.</summary>
[XmlType("OutboundDocument", Namespace = ErpHubContract.Namespace)]
public sealed class OutboundDocument
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("kind", Order = 1)]
    public string Kind { get; set; } = string.Empty;

    [XmlElement("payload", Order = 2)]
    public string Payload { get; set; } = string.Empty;

    [XmlElement("createdAt", Order = 3)]
    public DateTime CreatedAt { get; set; }
}

/// <summary>The ERP has processed these outbound documents; the hub removes them from the queue.</summary>
[XmlRoot("AcknowledgeOutboundDocuments", Namespace = ErpHubContract.Namespace)]
[XmlType("AcknowledgeOutboundDocuments", Namespace = ErpHubContract.Namespace)]
public sealed class AcknowledgeOutboundDocumentsRequest
{
    [XmlArray("documentIds", Order = 0)]
    [XmlArrayItem("documentId")]
    public List<string> DocumentIds { get; set; } = [];
}

/// <summary>How many of the ids were queued and are now acknowledged.</summary>
[XmlRoot("AcknowledgeOutboundDocumentsResponse", Namespace = ErpHubContract.Namespace)]
[XmlType("AcknowledgeOutboundDocumentsResponse", Namespace = ErpHubContract.Namespace)]
public sealed class AcknowledgeOutboundDocumentsResponse
{
    [XmlElement("acknowledgedCount", Order = 0)]
    public int AcknowledgedCount { get; set; }

    /// <summary>Ids that name no document queued for the calling ERP (absent when there are none).</summary>
    [XmlArray("unknownDocumentIds", Order = 1, IsNullable = false)]
    [XmlArrayItem("documentId")]
    public List<string>? UnknownDocumentIds { get; set; }

    /// <summary>XmlSerializer convention: omit the element when empty (the schema requires at least one id inside it).</summary>
    public bool ShouldSerializeUnknownDocumentIds() => UnknownDocumentIds is { Count: > 0 };
}

/// <summary>The typed fault detail of every ErpHubService operation (element tns:ErpHubFault).</summary>
[XmlRoot("ErpHubFault", Namespace = ErpHubContract.Namespace)]
[XmlType("ErpHubFault", Namespace = ErpHubContract.Namespace)]
public sealed class ErpHubFault
{
    [XmlElement("code", Order = 0)]
    public string Code { get; set; } = string.Empty;

    [XmlElement("message", Order = 1)]
    public string Message { get; set; } = string.Empty;

    [XmlElement("documentId", Order = 2)]
    public string? DocumentId { get; set; }
}

/// <summary>Codes used in <see cref="ErpHubFault.Code"/>.</summary>
public static class ErpHubFaultCodes
{
    /// <summary>The request is invalid (missing or out-of-range fields); do not retry.</summary>
    public const string InvalidRequest = "INVALID_REQUEST";

    /// <summary>The documentId was already used for a different document.</summary>
    public const string DocumentIdConflict = "DOCUMENT_ID_CONFLICT";

    /// <summary>The hub cannot take the document now (a Server fault; retry later).</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The orderNumber names no order of the hub; the document was not accepted (correct it and send again).</summary>
    public const string UnknownOrder = "UNKNOWN_ORDER";

    /// <summary>The customerCode names no customer of the hub.</summary>
    public const string UnknownCustomer = "UNKNOWN_CUSTOMER";
}
