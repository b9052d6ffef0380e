using Hub.Infrastructure;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Contracts.Soap;
using Crm.Contracts.Soap.ErpHub;
using Crm.Domain.Customers;
using Crm.Domain.Products;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Hub.Soap;
using MassTransit;

namespace Hub.Adapters.Erp;

/// <summary>
/// The hub's SOAP service for the legacy ERP at <c>/soap/erp</c> (contracts/Soap/ErpHubService.wsdl), authenticated with
/// WS-Security UsernameToken per ERP (<c>Soap:Partners</c>). Reports become commands on the bus through the idempotent
/// <see cref="ErpInboundReceiver"/>; queries read the hub; the mailbox serves ERPs that poll.
/// </summary>
public static class ErpHubSoapService
{
    private const int MaxLines = 1000;

    /// <summary>The service description with every operation of the WSDL.</summary>
    public static SoapServiceDescription Create() =>
        new SoapServiceDescription(ErpHubContract.ServiceName, ErpHubContract.Namespace)
        {
            WsdlProvider = () => SoapWsdlDocuments.ErpHubService,
            RequireSecurity = true,
        }
        .AddOperation<ReportShipmentRequest, ReportShipmentResponse>(ErpHubContract.Actions.ReportShipment, ReportShipment)
        .AddOperation<ReportInvoiceRequest, ReportInvoiceResponse>(ErpHubContract.Actions.ReportInvoice, ReportInvoice)
        .AddOperation<ReportPaymentReceiptRequest, ReportPaymentReceiptResponse>(ErpHubContract.Actions.ReportPaymentReceipt, ReportPaymentReceipt)
        .AddOperation<ReportStockLevelRequest, ReportStockLevelResponse>(ErpHubContract.Actions.ReportStockLevel, ReportStockLevel)
        .AddOperation<ReportProductChangeRequest, ReportProductChangeResponse>(ErpHubContract.Actions.ReportProductChange, ReportProductChange)
        .AddOperation<QueryCustomerRequest, QueryCustomerResponse>(ErpHubContract.Actions.QueryCustomer, QueryCustomer)
        .AddOperation<QueryOrderRequest, QueryOrderResponse>(ErpHubContract.Actions.QueryOrder, QueryOrder)
        .AddOperation<FetchOutboundDocumentsRequest, FetchOutboundDocumentsResponse>(ErpHubContract.Actions.FetchOutboundDocuments, FetchOutboundDocuments)
        .AddOperation<AcknowledgeOutboundDocumentsRequest, AcknowledgeOutboundDocumentsResponse>(ErpHubContract.Actions.AcknowledgeOutboundDocuments, AcknowledgeOutboundDocuments);

    private static async Task<ReportShipmentResponse> ReportShipment(ReportShipmentRequest r, SoapCallContext call)
    {
        var documentId = DocumentId(r.DocumentId);
        var orderNumber = Required(r.OrderNumber, "orderNumber", 32, documentId);
        var shipmentNumber = Required(r.ShipmentNumber, "shipmentNumber", 64, documentId);
        var shippedAt = RequiredTime(r.ShippedAt, "shippedAt", documentId);
        if (r.Lines.Count is 0 or > MaxLines)
            throw ErpHubFaults.Invalid($"lines must hold 1 to {MaxLines} lines.", documentId);
        var lines = r.Lines.Select((l, i) => new ErpShipmentLine(
            Required(l.ProductCode, $"lines/line[{i + 1}]/productCode", 64, documentId),
            l.Quantity > 0 ? l.Quantity : throw ErpHubFaults.Invalid($"lines/line[{i + 1}]/quantity must be positive.", documentId))).ToArray();

        var receipt = await Receiver(call).Accept(call, documentId, r,
            (id, at) => new RecordErpShipment(id, call.PartnerId!, documentId, orderNumber, shipmentNumber, shippedAt, lines, at),
            () => RequireOrder(call, orderNumber, documentId));
        return new ReportShipmentResponse { Accepted = true, ReceiptId = receipt.ToString() };
    }

    private static async Task<ReportInvoiceResponse> ReportInvoice(ReportInvoiceRequest r, SoapCallContext call)
    {
        var documentId = DocumentId(r.DocumentId);
        var orderNumber = Required(r.OrderNumber, "orderNumber", 32, documentId);
        var invoiceNumber = Required(r.InvoiceNumber, "invoiceNumber", 64, documentId);
        var amount = PositiveAmount(r.Amount, documentId);
        var issuedAt = RequiredTime(r.IssuedAt, "issuedAt", documentId);

        var receipt = await Receiver(call).Accept(call, documentId, r,
            (id, at) => new RecordErpInvoice(id, call.PartnerId!, documentId, orderNumber, invoiceNumber, amount, issuedAt, at),
            () => RequireOrder(call, orderNumber, documentId));
        return new ReportInvoiceResponse { Accepted = true, ReceiptId = receipt.ToString() };
    }

    private static async Task<ReportPaymentReceiptResponse> ReportPaymentReceipt(ReportPaymentReceiptRequest r, SoapCallContext call)
    {
        var documentId = DocumentId(r.DocumentId);
        var orderNumber = Required(r.OrderNumber, "orderNumber", 32, documentId);
        var receiptNumber = Required(r.ReceiptNumber, "receiptNumber", 64, documentId);
        var amount = PositiveAmount(r.Amount, documentId);
        var receivedAt = RequiredTime(r.ReceivedAt, "receivedAt", documentId);

        var receipt = await Receiver(call).Accept(call, documentId, r,
            (id, at) => new RecordErpPaymentReceipt(id, call.PartnerId!, documentId, orderNumber, receiptNumber, amount, receivedAt, at),
            () => RequireOrder(call, orderNumber, documentId));
        return new ReportPaymentReceiptResponse { Accepted = true, ReceiptId = receipt.ToString() };
    }

    private static async Task<ReportStockLevelResponse> ReportStockLevel(ReportStockLevelRequest r, SoapCallContext call)
    {
        var documentId = DocumentId(r.DocumentId);
        var productCode = Required(r.ProductCode, "productCode", 64, documentId);
        var warehouse = Required(r.Warehouse, "warehouse", 64, documentId);
        if (r.Quantity < 0)
            throw ErpHubFaults.Invalid("quantity must not be negative.", documentId);

        var receipt = await Receiver(call).Accept(call, documentId, r,
            (id, at) => new RecordErpStockLevel(id, call.PartnerId!, documentId, productCode, warehouse, r.Quantity, at));
        return new ReportStockLevelResponse { Accepted = true, ReceiptId = receipt.ToString() };
    }

    private static async Task<ReportProductChangeResponse> ReportProductChange(ReportProductChangeRequest r, SoapCallContext call)
    {
        var documentId = DocumentId(r.DocumentId);
        var productCode = Required(r.ProductCode, "productCode", 64, documentId);
        var name = Required(r.Name, "name", 200, documentId);
        var specModel = string.IsNullOrWhiteSpace(r.SpecModel) ? null : Required(r.SpecModel, "specModel", 64, documentId);
        if (!EnumNames.TryParse<ProductState>(r.State, out var state))
            throw ErpHubFaults.Invalid($"state must be one of {string.Join(", ", Enum.GetNames<ProductState>())}.", documentId);

        var receipt = await Receiver(call).Accept(call, documentId, r,
            (id, at) => new RecordErpProductChange(id, call.PartnerId!, documentId, productCode, name, specModel, state.ToString(), at));
        return new ReportProductChangeResponse { Accepted = true, ReceiptId = receipt.ToString() };
    }

    private static async Task<QueryCustomerResponse> QueryCustomer(QueryCustomerRequest r, SoapCallContext call)
    {
        var code = Required(r.CustomerCode, "customerCode", 32, null);
        // A customer outside the ERP's scope answers exactly as a missing one.
        var customer = await InPartnerScope(call, code)
            ? await call.Services.GetRequiredService<IErpCustomerDirectory>().Find(code, call.CancellationToken)
            : null;
        return new QueryCustomerResponse
        {
            Customer = customer ?? throw ErpHubFaults.Client(ErpHubFaultCodes.UnknownCustomer, $"No such customer: {code}."),
        };
    }

    private static async Task<QueryOrderResponse> QueryOrder(QueryOrderRequest request, SoapCallContext call)
    {
        var number = Required(request.OrderNumber, "orderNumber", 32, null);
        var found = await FindOrder(call, number);
        if (found is not null && !await InPartnerScope(call, found.CustomerCode))
            found = null;
        return new QueryOrderResponse
        {
            Order = found is null ? null : new OrderSummary
            {
                OrderNumber = found.OrderNumber, Status = found.Status, ErpSalesOrderNumber = found.ErpSalesOrderNumber,
                Shipments = found.Shipments?.Select(s => new OrderShipment
                {
                    ReceiptId = s.ReceiptId.ToString(), ShipmentNumber = s.ShipmentNumber, ShippedAt = s.ShippedAt,
                    Lines = (s.Lines ?? []).Select(l => new ShipmentLine { ProductCode = l.ProductCode, Quantity = l.Quantity }).ToList(),
                }).ToList(),
                Invoices = found.Invoices?.Select(i => new OrderInvoice
                {
                    ReceiptId = i.ReceiptId.ToString(), InvoiceNumber = i.InvoiceNumber, Amount = i.Amount, IssuedAt = i.IssuedAt,
                }).ToList(),
                Payments = found.Payments?.Select(p => new OrderPayment
                {
                    ReceiptId = p.ReceiptId.ToString(), ReceiptNumber = p.ReceiptNumber, Amount = p.Amount, ReceivedAt = p.ReceivedOn,
                }).ToList(),
            },
        };
    }

    private static async Task<FetchOutboundDocumentsResponse> FetchOutboundDocuments(FetchOutboundDocumentsRequest r, SoapCallContext call)
    {
        if (r.MaxCount is < 1 or > ErpMailbox.MaxFetch)
            throw ErpHubFaults.Invalid($"maxCount must be 1 to {ErpMailbox.MaxFetch}.");
        var documents = await call.Services.GetRequiredService<ErpMailbox>().Pending(call.PartnerId!, r.MaxCount, call.CancellationToken);
        return new FetchOutboundDocumentsResponse { Documents = documents };
    }

    private static async Task<AcknowledgeOutboundDocumentsResponse> AcknowledgeOutboundDocuments(AcknowledgeOutboundDocumentsRequest r, SoapCallContext call)
    {
        if (r.DocumentIds.Count is 0 or > ErpMailbox.MaxFetch)
            throw ErpHubFaults.Invalid($"documentIds must hold 1 to {ErpMailbox.MaxFetch} ids.");
        var ids = r.DocumentIds.Select(id => Required(id, "documentIds/documentId", 128, null)).Distinct(StringComparer.Ordinal).ToArray();
        return await call.Services.GetRequiredService<ErpMailbox>().Acknowledge(call.PartnerId!, ids, call.CancellationToken);
    }

    /// <summary>Whether the calling ERP's regions (<see cref="ErpPartnerDelivery.Regions"/>) hold the customer; all when it has none.</summary>
    private static async Task<bool> InPartnerScope(SoapCallContext call, string customerCode)
    {
        var partners = call.Services.GetRequiredService<IOptions<ErpDeliveryOptions>>().Value.Partners;
        if (!partners.TryGetValue(call.PartnerId!, out var partner) || partner.Regions.Length == 0)
            return true;
        var regions = partner.Regions;
        return await call.Services.GetRequiredService<HubDbContext>().Set<Customer>().AsNoTracking()
            .AnyAsync(c => c.Code == customerCode && c.Region != null && regions.Contains(c.Region), call.CancellationToken);
    }

    private static ErpInboundReceiver Receiver(SoapCallContext call) => call.Services.GetRequiredService<ErpInboundReceiver>();

    /// <summary>
    /// Reports name an order the hub placed. An unknown number is a data error on the ERP's side: it is refused with a Client fault
    /// (UNKNOWN_ORDER) rather than parked, and the document id stays free, so the ERP can correct the document and send it again.
    /// </summary>
    private static async Task RequireOrder(SoapCallContext call, string orderNumber, string documentId)
    {
        if (await FindOrder(call, orderNumber) is null)
            throw ErpHubFaults.Client(ErpHubFaultCodes.UnknownOrder, $"No such order: {orderNumber}.", documentId);
    }

    private static async Task<OrderDetails?> FindOrder(SoapCallContext call, string orderNumber)
    {
        var orders = call.Services.GetRequiredService<IRequestClient<GetOrder>>();
        var response = await orders.GetResponse<OrderDetails, OrderNotFound>(new GetOrder(null, orderNumber), call.CancellationToken);
        return response.Is(out Response<OrderDetails>? found) ? found!.Message : null;
    }

    private static string DocumentId(string? value) => Required(value, "documentId", 128, null);

    private static string Required(string? value, string field, int maxLength, string? documentId) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Length > maxLength
            ? throw ErpHubFaults.Invalid($"{field} is required, at most {maxLength} characters.", documentId)
            : value.Trim();

    /// <summary>The time as the ERP wrote it, offset included (a time without an offset was read as UTC).</summary>
    private static DateTimeOffset RequiredTime(DateTimeOffset value, string field, string documentId) =>
        value == default ? throw ErpHubFaults.Invalid($"{field} is required.", documentId) : value;

    private static decimal PositiveAmount(decimal amount, string documentId) =>
        amount > 0 ? amount : throw ErpHubFaults.Invalid("amount must be positive.", documentId);
}
