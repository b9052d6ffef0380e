namespace Crm.Contracts.Products;

/// <summary>Command: replace a product's name, specification and model (the code stays). Answered like <see cref="RegisterProduct"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="ProductId">The product.</param>
/// <param name="Name">Name.</param>
/// <param name="Spec">Specification (规格).</param>
/// <param name="Model">Model (型号).</param>
/// <param name="ExpectedVersion">The version the change was made from; another version refuses it (<see cref="ProductCommandRejected.VersionMismatch"/>).</param>
/// <param name="Actor">Who asked.</param>
public sealed record UpdateProduct(Guid CommandId, Guid ProductId, string Name, string? Spec, string? Model, long? ExpectedVersion, string Actor);
