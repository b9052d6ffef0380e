namespace Crm.Contracts.Erp;

/// <summary>Event: ERP holds the sales order.</summary>
public sealed record ErpSalesOrderCreated(Guid OrderId, string ErpSalesOrderNumber);
