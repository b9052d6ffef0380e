namespace Crm.Contracts.Dealers;

/// <summary>Command: the paper contract of an approved contract was signed on <paramref name="SignedOn"/> (纸质合同的签署); it is in force.</summary>
public sealed record SignAgencyContract(
    Guid CommandId,
    Guid ContractId,
    DateOnly SignedOn,
    long? ExpectedVersion,
    string Actor) : IAgencyContractCommand;
