namespace Crm.Contracts.Dealers;

/// <summary>Command: rewrite a draft, or a rejected contract, which becomes a draft again.</summary>
public sealed record ReviseAgencyContract(
    Guid CommandId,
    Guid ContractId,
    string Territory,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    string Terms,
    long? ExpectedVersion,
    string Actor) : IAgencyContractCommand;
