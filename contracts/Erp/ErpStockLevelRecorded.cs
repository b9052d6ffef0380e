namespace Crm.Contracts.Erp;

/// <summary>Event: the ERP's stock of a product in a warehouse is now <paramref name="Quantity"/>.</summary>
public sealed record ErpStockLevelRecorded(string ProductCode, string Warehouse, int Quantity, DateTimeOffset ReportedAt);
