namespace Crm.Contracts.Erp;

/// <summary>
/// Command: ask the ERP to release the resources it provisioned for one work order (compensation). Answered by
/// <see cref="ErpResourcesReleased"/>; releasing what is already released, or was never provisioned, is no error.
/// </summary>
public sealed record ReleaseErpResources(Guid WorkOrderId, Guid OrderId, string OrderNumber, string ProvisioningId, string Reason);
