namespace Crm.Contracts.Dealers;

/// <summary>
/// Event: an active agency contract passed its last day (<paramref name="ValidTo"/>) and expired; the dealer no longer sells under it.
/// <paramref name="OwnerUserId"/> is whoever looks after the dealer (empty when nobody is recorded).
/// </summary>
public sealed record AgencyContractExpired(
    Guid ContractId,
    string ContractNumber,
    Guid DealerId,
    string DealerCode,
    string DealerName,
    string Territory,
    DateOnly ValidTo,
    string OwnerUserId,
    long Version,
    DateTimeOffset At);
