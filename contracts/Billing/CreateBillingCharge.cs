namespace Crm.Contracts.Billing;

/// <summary>Command to the billing gateway: charge the customer for an order. The order id is the idempotency key.</summary>
public sealed record CreateBillingCharge(Guid OrderId, string OrderNumber, string CustomerCode, decimal Amount, string Currency);
