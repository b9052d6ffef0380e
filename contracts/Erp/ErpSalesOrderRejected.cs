namespace Crm.Contracts.Erp;

/// <summary>Event: ERP refused the sales order for a business reason (not a transient failure).</summary>
public sealed record ErpSalesOrderRejected(Guid OrderId, string Reason);
