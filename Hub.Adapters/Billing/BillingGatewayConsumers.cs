using Crm.Contracts.Billing;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Adapters.Billing;

/// <summary>
/// Charges billing for an order or one of its work orders. A refusal becomes <see cref="BillingChargeRejected"/>; a
/// transient failure throws, so the endpoint's retries and scheduled redelivery try again and,
/// once they are spent, the saga sees the <c>Fault</c>.
/// </summary>
public sealed class CreateBillingChargeConsumer(IBillingApi billing) : IConsumer<CreateBillingCharge>
{
    public async Task Consume(ConsumeContext<CreateBillingCharge> context)
    {
        var m = context.Message;
        try
        {
            // One charge per work order: each has its own key, so billing charges every work order once.
            var charge = await billing.CreateCharge(new CreateChargeRequest(m.OrderId, m.OrderNumber, m.CustomerCode, m.Amount, m.Currency),
                IdempotencyKeys.ChargeOf(m.WorkOrderId ?? m.OrderId), context.CancellationToken);
            await context.Publish(new BillingChargeCreated(m.OrderId, charge.ChargeId, m.WorkOrderId, charge.Amount));
        }
        catch (BillingRefusedException refused)
        {
            await context.Publish(new BillingChargeRejected(m.OrderId, refused.Reason, m.WorkOrderId));
        }
    }
}

/// <summary>Reverses an order's or a work order's charge (compensation); billing treats a repeat as the same reversal.</summary>
public sealed class ReverseBillingChargeConsumer(IBillingApi billing) : IConsumer<ReverseBillingCharge>
{
    public async Task Consume(ConsumeContext<ReverseBillingCharge> context)
    {
        var m = context.Message;
        await billing.ReverseCharge(new ReverseChargeRequest(m.OrderId, m.Reason, m.ChargeId), IdempotencyKeys.ReversalOf(m.WorkOrderId ?? m.OrderId),
            context.CancellationToken);
        await context.Publish(new BillingChargeReversed(m.OrderId, m.WorkOrderId));
    }
}

/// <summary>Both billing commands share the billing gateway endpoint.</summary>
public sealed class CreateBillingChargeConsumerDefinition : ConsumerDefinition<CreateBillingChargeConsumer>
{
    public CreateBillingChargeConsumerDefinition() => EndpointName = HubQueues.BillingGateway;
}

/// <summary>See <see cref="CreateBillingChargeConsumerDefinition"/>.</summary>
public sealed class ReverseBillingChargeConsumerDefinition : ConsumerDefinition<ReverseBillingChargeConsumer>
{
    public ReverseBillingChargeConsumerDefinition() => EndpointName = HubQueues.BillingGateway;
}
