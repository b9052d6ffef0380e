namespace Crm.Contracts.Billing;

/// <summary>Command to the billing gateway: reverse the charge of an order (compensation).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Reason">Why it is reversed.</param>
/// <param name="WorkOrderId">The work order whose charge is reversed; null: the order's charge.</param>
/// <param name="ChargeId">Billing's reference of the charge to reverse, when known.</param>
public sealed record ReverseBillingCharge(Guid OrderId, string Reason, Guid? WorkOrderId = null, string? ChargeId = null);
