namespace Crm.Contracts.Billing;

/// <summary>Event: billing holds the charge.</summary>
/// <param name="OrderId">The order charged.</param>
/// <param name="ChargeId">Billing's reference of the charge.</param>
/// <param name="WorkOrderId">The work order charged, when the charge was for one.</param>
/// <param name="Amount">The amount billing charged, as it reports it.</param>
public sealed record BillingChargeCreated(Guid OrderId, string ChargeId, Guid? WorkOrderId = null, decimal? Amount = null);
