namespace Crm.Contracts.Dealers;

/// <summary>Command: reject a submitted contract, saying why; the same deciders as <see cref="ApproveAgencyContract"/>.</summary>
public sealed record RejectAgencyContract(
    Guid CommandId,
    Guid ContractId,
    string Reason,
    string ActorRole,
    string ActorRegion,
    long? ExpectedVersion,
    string Actor) : IAgencyContractCommand;
