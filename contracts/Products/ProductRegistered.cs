namespace Crm.Contracts.Products;

/// <summary>Event: a product was added to the catalogue.</summary>
public sealed record ProductRegistered(Guid ProductId, string Code, string Name, string? Spec, string? Model, DateTimeOffset RegisteredAt, string Actor);
