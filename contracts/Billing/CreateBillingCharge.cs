namespace Crm.Contracts.Billing;

/// <summary>
/// Command to the billing gateway: charge the customer for an order, or for one work order of it when
/// <paramref name="WorkOrderId"/> is given. The work order id (else the order id) is the idempotency key.
/// </summary>
public sealed record CreateBillingCharge(Guid OrderId, string OrderNumber, string CustomerCode, decimal Amount, string Currency, Guid? WorkOrderId = null);
