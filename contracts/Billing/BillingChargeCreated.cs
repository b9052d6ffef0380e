namespace Crm.Contracts.Billing;

/// <summary>Event: billing holds the charge.</summary>
public sealed record BillingChargeCreated(Guid OrderId, string ChargeId);
