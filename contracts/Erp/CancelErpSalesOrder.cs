namespace Crm.Contracts.Erp;

/// <summary>Command to the ERP gateway: cancel the sales order of an order (compensation).</summary>
public sealed record CancelErpSalesOrder(Guid OrderId, string Reason);
