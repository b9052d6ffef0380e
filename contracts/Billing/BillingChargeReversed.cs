namespace Crm.Contracts.Billing;

/// <summary>Event: billing reversed the charge, or had none to reverse.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="WorkOrderId">The work order whose charge was reversed, when the reversal was for one.</param>
public sealed record BillingChargeReversed(Guid OrderId, Guid? WorkOrderId = null);
