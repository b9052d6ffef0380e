using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.Billing;
using Crm.Contracts.Notifications;
using Crm.Domain;
using Crm.Domain.Orders;
using Hub.CrmStore.Dealers;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Takes billing's <c>payment.received</c> as a receipt of the order (receipt id derived from billing's event id, so billing's
/// retries and the inbox's redeliveries count once) and publishes <see cref="PaymentReceived"/>. A payment for an order the hub
/// does not hold, or one the order refuses (more than is invoiced and unpaid), changes nothing and goes to the error queue with
/// the broken rule: billing's webhook was already answered, so operations settle it from <c>/ops</c>.
/// </summary>
public sealed class RecordBillingPaymentConsumer(HubDbContext db, IOptions<DealerOptions> company) : IConsumer<BillingPaymentReceived>
{
    public async Task Consume(ConsumeContext<BillingPaymentReceived> context)
    {
        var m = context.Message;
        var order = await OrderStore.Find(db, m.OrderId, context.CancellationToken)
            ?? throw DomainRuleViolation.Of("orderId", $"the hub holds no order {m.OrderId}");
        var receiptId = OrderReceipts.BillingReceiptId(m.BillingEventId);
        if (order.Receipts.Any(r => r.Id == receiptId))
            return;
        // Billing stamps instants (UTC): the receipt's business day is the company's (Dealers:TimeZone, the day the ledger counts in).
        var receivedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(m.PaidAt, company.Value.Zone()).DateTime);
        var receipt = order.RecordReceipt(receiptId, m.Amount, receivedOn, m.ChargeId);
        OrderStore.Touch(db, order);
        await context.Publish(OrderReceipts.Received(order, receipt, PaymentSources.Billing));
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>What the order publishes for a receipt it took.</summary>
internal static class OrderReceipts
{
    public static PaymentReceived Received(Order order, Receipt receipt, string source) =>
        new(receipt.Id, order.Id, order.Number, receipt.Amount, receipt.ReceivedOn, source, order.CustomerCode, order.OwnerUserId, receipt.Reference,
            order.ReceivedAmount);

    /// <summary>The receipt of a billing payment: the same billing event always names the same receipt.</summary>
    public static Guid BillingReceiptId(string billingEventId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("crm-order-receipt:billing:" + billingEventId)).AsSpan(0, 16));
}

/// <summary>Billing's payments are applied on the orders endpoint.</summary>
public sealed class RecordBillingPaymentConsumerDefinition : ConsumerDefinition<RecordBillingPaymentConsumer>
{
    public RecordBillingPaymentConsumerDefinition() => EndpointName = HubQueues.Orders;
}
