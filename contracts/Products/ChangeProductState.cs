namespace Crm.Contracts.Products;

/// <summary>Command: take a product off sale or put it back on sale. Answered like <see cref="RegisterProduct"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="ProductId">The product.</param>
/// <param name="State"><c>Active</c> or <c>Discontinued</c>.</param>
/// <param name="ExpectedVersion">The version the change was made from.</param>
/// <param name="Actor">Who asked.</param>
public sealed record ChangeProductState(Guid CommandId, Guid ProductId, string State, long? ExpectedVersion, string Actor);
