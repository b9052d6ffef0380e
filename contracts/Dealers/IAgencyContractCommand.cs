namespace Crm.Contracts.Dealers;

/// <summary>A step on an existing agency contract, made from the version the caller saw (its ETag); null: no check.</summary>
public interface IAgencyContractCommand : IDealerCommand
{
    /// <summary>The contract.</summary>
    Guid ContractId { get; }

    /// <summary>The contract version the caller saw; a contract changed since is refused as a version mismatch.</summary>
    long? ExpectedVersion { get; }
}
