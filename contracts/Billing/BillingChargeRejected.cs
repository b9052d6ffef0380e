namespace Crm.Contracts.Billing;

/// <summary>Event: billing refused the charge for a business reason.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Reason">Billing's explanation.</param>
/// <param name="WorkOrderId">The work order whose charge was refused, when the charge was for one.</param>
public sealed record BillingChargeRejected(Guid OrderId, string Reason, Guid? WorkOrderId = null);
