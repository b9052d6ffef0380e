namespace Crm.Contracts.Billing;

/// <summary>Event: billing refused the charge for a business reason.</summary>
public sealed record BillingChargeRejected(Guid OrderId, string Reason);
