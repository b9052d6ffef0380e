namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP refused to provision work order <paramref name="WorkOrderId"/> (its answer, not an outage).</summary>
public sealed record ErpProvisioningRejected(Guid WorkOrderId, Guid OrderId, string Reason);
