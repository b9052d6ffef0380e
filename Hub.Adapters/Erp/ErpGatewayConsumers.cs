using Crm.Contracts.Erp;
using Crm.Contracts.Soap.ErpSales;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using Hub.Soap;
using Hub.Persistence;
using MassTransit;
using System.Xml;
using System.Xml.Serialization;

namespace Hub.Adapters.Erp;

/// <summary>
/// Creates the ERP sales order of an order. A Client fault is the ERP's answer and becomes
/// <see cref="ErpSalesOrderRejected"/>; anything transient throws, so retries and scheduled
/// redelivery try again and the saga sees the <c>Fault</c> once they are spent. The created sales
/// order also goes to every ERP's mailbox (fetched or pushed, as each ERP's delivery says), in the same commit as the event.
/// </summary>
public sealed class CreateErpSalesOrderConsumer(ErpSalesClient erp, ErpMailbox mailbox, HubDbContext db) : IConsumer<CreateErpSalesOrder>
{
    private static readonly XmlSerializer SalesOrderDocument = new(typeof(CreateSalesOrderRequest));

    public async Task Consume(ConsumeContext<CreateErpSalesOrder> context)
    {
        var m = context.Message;
        try
        {
            var salesOrder = new CreateSalesOrderRequest
            {
                DocumentId = IdempotencyKeys.SalesOrderOf(m.OrderId),
                OrderNumber = m.OrderNumber,
                CustomerCode = m.CustomerCode,
                TotalAmount = m.TotalAmount,
                Lines = m.Lines.Select(l => new SalesOrderLine
                {
                    ProductCode = l.ProductCode,
                    SpecModel = l.SpecModel,
                    Quantity = l.Quantity,
                    UnitPrice = l.UnitPrice,
                    Discount = l.Discount,
                }).ToList(),
            };
            var response = await erp.CreateSalesOrder(salesOrder, context.CancellationToken);
            await context.Publish(new ErpSalesOrderCreated(m.OrderId, response.SalesOrderNumber));
            var pushes = await mailbox.Place(new PlaceErpOutboundDocument(salesOrder.DocumentId, ErpOutboundDocumentKinds.SalesOrder, PayloadOf(salesOrder)), context.CancellationToken);
            await ErpDocumentPush.Start(context, pushes);
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (SoapFaultException fault) when (fault.Code == SoapFaultCode.Client)
        {
            await context.Publish(new ErpSalesOrderRejected(m.OrderId, fault.Reason));
        }
    }

    /// <summary>The polling ERP gets the very document the pushing ERP got: CreateSalesOrder of ErpSalesService.wsdl, as XML text.</summary>
    private static string PayloadOf(CreateSalesOrderRequest salesOrder)
    {
        using var text = new StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
            SalesOrderDocument.Serialize(writer, salesOrder);
        return text.ToString();
    }
}

/// <summary>Cancels an order's ERP sales order (compensation).</summary>
public sealed class CancelErpSalesOrderConsumer(ErpSalesClient erp) : IConsumer<CancelErpSalesOrder>
{
    public async Task Consume(ConsumeContext<CancelErpSalesOrder> context)
    {
        var m = context.Message;
        await erp.CancelSalesOrder(new CancelSalesOrderRequest
        {
            DocumentId = IdempotencyKeys.SalesOrderCancellationOf(m.OrderId),
            OrderNumber = Order.NumberFor(m.OrderId),
            Reason = m.Reason,
        }, context.CancellationToken);
        await context.Publish(new ErpSalesOrderCancelled(m.OrderId));
    }
}

/// <summary>
/// Provisions one work order's resources in the ERP. As for sales orders: a Client fault is the ERP's refusal
/// (<see cref="ErpProvisioningRejected"/>), anything transient throws for the retries and then the <c>Fault</c>.
/// </summary>
public sealed class ProvisionErpResourcesConsumer(ErpSalesClient erp) : IConsumer<ProvisionErpResources>
{
    public async Task Consume(ConsumeContext<ProvisionErpResources> context)
    {
        var m = context.Message;
        try
        {
            var response = await erp.ProvisionResources(new ProvisionResourcesRequest
            {
                DocumentId = IdempotencyKeys.ProvisioningOf(m.WorkOrderId),
                OrderNumber = m.OrderNumber,
                ProductCode = m.ProductCode,
                Quantity = m.Quantity,
            }, context.CancellationToken);
            await context.Publish(new ErpResourcesProvisioned(m.WorkOrderId, m.OrderId, response.ProvisioningId));
        }
        catch (SoapFaultException fault) when (fault.Code == SoapFaultCode.Client)
        {
            await context.Publish(new ErpProvisioningRejected(m.WorkOrderId, m.OrderId, fault.Reason));
        }
    }
}

/// <summary>
/// Releases one work order's resources in the ERP (compensation). Releasing again, or what was never provisioned, is no
/// error for the ERP; an outage throws for the retries.
/// </summary>
public sealed class ReleaseErpResourcesConsumer(ErpSalesClient erp) : IConsumer<ReleaseErpResources>
{
    public async Task Consume(ConsumeContext<ReleaseErpResources> context)
    {
        var m = context.Message;
        await erp.ReleaseResources(new ReleaseResourcesRequest
        {
            DocumentId = IdempotencyKeys.ReleaseOf(m.WorkOrderId),
            OrderNumber = m.OrderNumber,
            ProvisioningId = m.ProvisioningId,
            Reason = m.Reason,
        }, context.CancellationToken);
        await context.Publish(new ErpResourcesReleased(m.WorkOrderId, m.OrderId, m.ProvisioningId));
    }
}

/// <summary>On the ERP gateway endpoint, with the other ERP commands.</summary>
public sealed class ReleaseErpResourcesConsumerDefinition : ConsumerDefinition<ReleaseErpResourcesConsumer>
{
    public ReleaseErpResourcesConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}

/// <summary>On the ERP gateway endpoint, with the other ERP commands.</summary>
public sealed class ProvisionErpResourcesConsumerDefinition : ConsumerDefinition<ProvisionErpResourcesConsumer>
{
    public ProvisionErpResourcesConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}

/// <summary>Both ERP commands share the ERP gateway endpoint.</summary>
public sealed class CreateErpSalesOrderConsumerDefinition : ConsumerDefinition<CreateErpSalesOrderConsumer>
{
    public CreateErpSalesOrderConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}

/// <summary>See <see cref="CreateErpSalesOrderConsumerDefinition"/>.</summary>
public sealed class CancelErpSalesOrderConsumerDefinition : ConsumerDefinition<CancelErpSalesOrderConsumer>
{
    public CancelErpSalesOrderConsumerDefinition() => EndpointName = HubQueues.ErpGateway;
}
