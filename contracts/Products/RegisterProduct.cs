namespace Crm.Contracts.Products;

/// <summary>
/// Command: add a product or component to the catalogue. Answered with <see cref="ProductCommandAccepted"/> or
/// <see cref="ProductCommandRejected"/>; the same command id (or product id) again changes nothing.
/// </summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="ProductId">Identity of the new product, chosen by the sender.</param>
/// <param name="Code">Catalogue code; never changes.</param>
/// <param name="Name">Name.</param>
/// <param name="Spec">Specification (规格).</param>
/// <param name="Model">Model (型号).</param>
/// <param name="Actor">Who asked.</param>
public sealed record RegisterProduct(Guid CommandId, Guid ProductId, string Code, string Name, string? Spec, string? Model, string Actor);
