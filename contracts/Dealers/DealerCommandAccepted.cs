namespace Crm.Contracts.Dealers;

/// <summary>Answer to a dealer command that was carried out (or had been, when <paramref name="Repeated"/>).</summary>
/// <param name="CommandId">The command.</param>
/// <param name="EntityId">The visit, negotiation, contract or target it recorded or changed.</param>
/// <param name="Version">Its version after the change (the ETag of its resource).</param>
/// <param name="Repeated">True when the command had been carried out before and nothing changed now.</param>
public sealed record DealerCommandAccepted(Guid CommandId, Guid EntityId, long Version, bool Repeated);
