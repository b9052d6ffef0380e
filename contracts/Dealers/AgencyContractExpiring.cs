namespace Crm.Contracts.Dealers;

/// <summary>
/// Event: an active agency contract ends on <paramref name="ValidTo"/>, <paramref name="DaysLeft"/> days after the day checked: a reminder
/// to whoever looks after the dealer (<paramref name="OwnerUserId"/>, empty when nobody is recorded) to renew it. Published once per contract.
/// </summary>
public sealed record AgencyContractExpiring(
    Guid ContractId,
    string ContractNumber,
    Guid DealerId,
    string DealerCode,
    string DealerName,
    string Territory,
    DateOnly ValidTo,
    int DaysLeft,
    string OwnerUserId,
    DateTimeOffset At);
