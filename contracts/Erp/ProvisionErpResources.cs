namespace Crm.Contracts.Erp;

/// <summary>
/// Command: ask the ERP to provision the resources of one work order (000 §3.4: each main product of an order is
/// provisioned on its own). Answered by <see cref="ErpResourcesProvisioned"/> or <see cref="ErpProvisioningRejected"/>;
/// a transient failure is retried and, when retries are spent, surfaces as the command's <c>Fault</c>.
/// </summary>
public sealed record ProvisionErpResources(Guid WorkOrderId, Guid OrderId, string OrderNumber, string ProductCode, int Quantity);
