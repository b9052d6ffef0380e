namespace Crm.Contracts.Products;

/// <summary>Event: a product's name, specification, model or state changed; carries the product as it is now.</summary>
/// <param name="ProductId">The product.</param>
/// <param name="Code">Catalogue code.</param>
/// <param name="Name">Name.</param>
/// <param name="Spec">Specification.</param>
/// <param name="Model">Model.</param>
/// <param name="State">Active or Discontinued.</param>
/// <param name="Version">Its version after the change.</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Actor">Who.</param>
public sealed record ProductChanged(Guid ProductId, string Code, string Name, string? Spec, string? Model, string State, long Version,
    DateTimeOffset ChangedAt, string Actor);
