namespace Crm.Contracts.Dealers;

/// <summary>Event: a dealer's annual or monthly target was set or revised.</summary>
public sealed record DealerTargetSet(
    Guid TargetId,
    Guid DealerId,
    string DealerCode,
    int Year,
    int? Month,
    DealerTargetLevels Tier1,
    DealerTargetLevels Tier2,
    DealerTargetLevels Tier3,
    string AgreedBy,
    long Version,
    DateTimeOffset At);
