namespace Crm.Contracts.Products;

/// <summary>Answer to a product or price-book command that was carried out (or had been, when <paramref name="Repeated"/>).</summary>
/// <param name="CommandId">The command.</param>
/// <param name="EntityId">The product or price book it changed.</param>
/// <param name="Version">Its version after the change (the ETag of its resource).</param>
/// <param name="Repeated">True when the command had been carried out before and nothing changed now.</param>
public sealed record ProductCommandAccepted(Guid CommandId, Guid EntityId, long Version, bool Repeated);
