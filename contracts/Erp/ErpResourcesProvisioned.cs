namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP provisioned the resources of work order <paramref name="WorkOrderId"/>.</summary>
public sealed record ErpResourcesProvisioned(Guid WorkOrderId, Guid OrderId, string ProvisioningId);
