namespace Crm.Contracts.Erp;

/// <summary>One product and quantity of an ERP shipment (a partial delivery ships some lines, or part of them).</summary>
public sealed record ErpShipmentLine(string ProductCode, int Quantity);
