namespace Crm.Contracts.ServiceTickets;

/// <summary>A part the engineer used on a field work order.</summary>
public sealed record FieldWorkPart(string PartCode, int Quantity);
