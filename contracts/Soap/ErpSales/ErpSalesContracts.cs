using System.Xml.Serialization;

namespace Crm.Contracts.Soap.ErpSales;

// XmlSerializer contracts of ErpSalesService.wsdl (document/literal wrapped). Every type carries both XmlRoot and
// XmlType with the target namespace, so child elements are qualified as the schema's elementFormDefault="qualified" says.

/// <summary>Names of ErpSalesService.wsdl.</summary>
public static class ErpSalesContract
{
    public const string Namespace = "urn:crm-hub:erp-sales:v1";
    public const string ServiceName = "ErpSalesService";

    /// <summary>The soapAction of each operation (SOAPAction header in 1.1, action parameter in 1.2).</summary>
    public static class Actions
    {
        public const string CreateSalesOrder = Namespace + "/CreateSalesOrder";
        public const string CancelSalesOrder = Namespace + "/CancelSalesOrder";
        public const string ProvisionResources = Namespace + "/ProvisionResources";
        public const string ReceiveDocument = Namespace + "/ReceiveDocument";
        public const string ReleaseResources = Namespace + "/ReleaseResources";
    }
}

/// <summary>Create a sales order. <see cref="DocumentId"/> is the idempotency key.</summary>
[XmlRoot("CreateSalesOrder", Namespace = ErpSalesContract.Namespace)]
[XmlType("CreateSalesOrder", Namespace = ErpSalesContract.Namespace)]
public sealed class CreateSalesOrderRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("customerCode", Order = 2)]
    public string CustomerCode { get; set; } = string.Empty;

    [XmlArray("lines", Order = 3)]
    [XmlArrayItem("line")]
    public List<SalesOrderLine> Lines { get; set; } = [];

    [XmlElement("totalAmount", Order = 4)]
    public decimal TotalAmount { get; set; }
}

/// <summary>One line of a sales order; discount is a fraction (0..1).</summary>
[XmlType("SalesOrderLine", Namespace = ErpSalesContract.Namespace)]
public sealed class SalesOrderLine
{
    [XmlElement("productCode", Order = 0)]
    public string ProductCode { get; set; } = string.Empty;

    [XmlElement("specModel", Order = 1)]
    public string? SpecModel { get; set; }

    [XmlElement("quantity", Order = 2)]
    public int Quantity { get; set; }

    [XmlElement("unitPrice", Order = 3)]
    public decimal UnitPrice { get; set; }

    [XmlElement("discount", Order = 4)]
    public decimal Discount { get; set; }
}

[XmlRoot("CreateSalesOrderResponse", Namespace = ErpSalesContract.Namespace)]
[XmlType("CreateSalesOrderResponse", Namespace = ErpSalesContract.Namespace)]
public sealed class CreateSalesOrderResponse
{
    [XmlElement("salesOrderNumber", Order = 0)]
    public string SalesOrderNumber { get; set; } = string.Empty;
}

/// <summary>Cancel the sales order of an order (compensation). <see cref="DocumentId"/> is the idempotency key.</summary>
[XmlRoot("CancelSalesOrder", Namespace = ErpSalesContract.Namespace)]
[XmlType("CancelSalesOrder", Namespace = ErpSalesContract.Namespace)]
public sealed class CancelSalesOrderRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("reason", Order = 2)]
    public string Reason { get; set; } = string.Empty;
}

/// <summary><see cref="Cancelled"/> is false when the ERP had no sales order to cancel.</summary>
[XmlRoot("CancelSalesOrderResponse", Namespace = ErpSalesContract.Namespace)]
[XmlType("CancelSalesOrderResponse", Namespace = ErpSalesContract.Namespace)]
public sealed class CancelSalesOrderResponse
{
    [XmlElement("cancelled", Order = 0)]
    public bool Cancelled { get; set; }
}

/// <summary>Provision the resources of an order line. <see cref="DocumentId"/> is the idempotency key.</summary>
[XmlRoot("ProvisionResources", Namespace = ErpSalesContract.Namespace)]
[XmlType("ProvisionResources", Namespace = ErpSalesContract.Namespace)]
public sealed class ProvisionResourcesRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("productCode", Order = 2)]
    public string ProductCode { get; set; } = string.Empty;

    [XmlElement("quantity", Order = 3)]
    public int Quantity { get; set; }
}

[XmlRoot("ProvisionResourcesResponse", Namespace = ErpSalesContract.Namespace)]
[XmlType("ProvisionResourcesResponse", Namespace = ErpSalesContract.Namespace)]
public sealed class ProvisionResourcesResponse
{
    [XmlElement("provisioningId", Order = 0)]
    public string ProvisioningId { get; set; } = string.Empty;
}

/// <summary>
/// One of the hub's outbound documents (sales order, customer change), pushed to an ERP whose delivery is push: the very
/// document a polling ERP fetches from its mailbox. <see cref="DocumentId"/> is the idempotency key.
/// </summary>
[XmlRoot("ReceiveDocument", Namespace = ErpSalesContract.Namespace)]
[XmlType("ReceiveDocument", Namespace = ErpSalesContract.Namespace)]
public sealed class ReceiveDocumentRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    /// <summary>SalesOrder, CustomerChanged, …</summary>
    [XmlElement("kind", Order = 1)]
    public string Kind { get; set; } = string.Empty;

    /// <summary>The document as XML text.</summary>
    [XmlElement("payload", Order = 2)]
    public string Payload { get; set; } = string.Empty;

    /// <summary>When the hub created it (UTC).</summary>
    [XmlElement("createdAt", Order = 3)]
    public DateTime CreatedAt { get; set; }
}

/// <summary><see cref="Received"/> is true once the ERP holds the document (also for a repeat).</summary>
[XmlRoot("ReceiveDocumentResponse", Namespace = ErpSalesContract.Namespace)]
[XmlType("ReceiveDocumentResponse", Namespace = ErpSalesContract.Namespace)]
public sealed class ReceiveDocumentResponse
{
    [XmlElement("received", Order = 0)]
    public bool Received { get; set; }
}

/// <summary>Release the resources of a provisioning (compensation). <see cref="DocumentId"/> is the idempotency key.</summary>
[XmlRoot("ReleaseResources", Namespace = ErpSalesContract.Namespace)]
[XmlType("ReleaseResources", Namespace = ErpSalesContract.Namespace)]
public sealed class ReleaseResourcesRequest
{
    [XmlElement("documentId", Order = 0)]
    public string DocumentId { get; set; } = string.Empty;

    [XmlElement("orderNumber", Order = 1)]
    public string OrderNumber { get; set; } = string.Empty;

    [XmlElement("provisioningId", Order = 2)]
    public string ProvisioningId { get; set; } = string.Empty;

    [XmlElement("reason", Order = 3)]
    public string Reason { get; set; } = string.Empty;
}

/// <summary>Whether anything was released: false when the provisioning was already released or unknown.</summary>
[XmlRoot("ReleaseResourcesResponse", Namespace = ErpSalesContract.Namespace)]
[XmlType("ReleaseResourcesResponse", Namespace = ErpSalesContract.Namespace)]
public sealed class ReleaseResourcesResponse
{
    [XmlElement("released", Order = 0)]
    public bool Released { get; set; }
}

/// <summary>The typed fault detail of every ErpSalesService operation (element tns:ErpSalesFault).</summary>
[XmlRoot("ErpSalesFault", Namespace = ErpSalesContract.Namespace)]
[XmlType("ErpSalesFault", Namespace = ErpSalesContract.Namespace)]
public sealed class ErpSalesFault
{
    /// <summary>Well-known codes: see <see cref="ErpSalesFaultCodes"/>.</summary>
    [XmlElement("code", Order = 0)]
    public string Code { get; set; } = string.Empty;

    [XmlElement("message", Order = 1)]
    public string Message { get; set; } = string.Empty;

    [XmlElement("documentId", Order = 2)]
    public string? DocumentId { get; set; }
}

/// <summary>Codes used in <see cref="ErpSalesFault.Code"/>.</summary>
public static class ErpSalesFaultCodes
{
    /// <summary>The ERP refuses the customer (a business rejection; do not retry).</summary>
    public const string CustomerRejected = "CUSTOMER_REJECTED";

    /// <summary>The ERP has no resources left to provision the product (a business rejection; do not retry).</summary>
    public const string NoResources = "NO_RESOURCES";

    /// <summary>The request is invalid (missing or out-of-range fields).</summary>
    public const string InvalidRequest = "INVALID_REQUEST";

    /// <summary>The documentId was already used for another operation.</summary>
    public const string DocumentIdConflict = "DOCUMENT_ID_CONFLICT";

    /// <summary>The ERP is temporarily unable to process (a Server fault; retry later).</summary>
    public const string Unavailable = "UNAVAILABLE";
}
