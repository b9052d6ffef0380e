namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP released the resources of work order <paramref name="WorkOrderId"/>.</summary>
public sealed record ErpResourcesReleased(Guid WorkOrderId, Guid OrderId, string ProvisioningId);
