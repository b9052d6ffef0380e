namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: approve a submitted contract. Only a manager (<paramref name="ActorRole"/> <c>manager</c>) of the dealer's region
/// (<paramref name="ActorRegion"/>) decides, and never whoever submitted it.
/// </summary>
public sealed record ApproveAgencyContract(
    Guid CommandId,
    Guid ContractId,
    string ActorRole,
    string ActorRegion,
    long? ExpectedVersion,
    string Actor) : IAgencyContractCommand;
