namespace Crm.Contracts.Billing;

/// <summary>Event: billing reversed the charge, or had none to reverse.</summary>
public sealed record BillingChargeReversed(Guid OrderId);
