namespace Crm.Contracts.Erp;

/// <summary>Event: ERP cancelled the sales order, or had none to cancel.</summary>
public sealed record ErpSalesOrderCancelled(Guid OrderId);
