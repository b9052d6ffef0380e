namespace Crm.Contracts.Erp;

/// <summary>Event: a product of the ERP's master data was created or changed (state Active or Discontinued).</summary>
public sealed record ErpProductChanged(string ProductCode, string Name, string? SpecModel, string State, DateTimeOffset ChangedAt);
