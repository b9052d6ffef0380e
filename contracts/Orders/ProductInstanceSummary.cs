namespace Crm.Contracts.Orders;

/// <summary>A product an order brings into service, one per order line, and whether it is in service yet.</summary>
public sealed record ProductInstanceSummary(Guid ProductInstanceId, int LineIndex, string ProductCode, string? SpecModel, int Quantity, string Status,
    DateTimeOffset? ActivatedAt);
