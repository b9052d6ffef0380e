namespace Crm.Contracts.Billing;

/// <summary>Command to the billing gateway: reverse the charge of an order (compensation).</summary>
public sealed record ReverseBillingCharge(Guid OrderId, string Reason);
