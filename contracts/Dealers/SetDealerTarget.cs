namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: set a dealer's annual target (<paramref name="Month"/> null) or monthly target at its three tiers (003 §3.2.5 目标1/2/3).
/// One target per dealer and period: setting it again revises it. <paramref name="TargetId"/> names a new target and is ignored when the
/// period has one already. Answered with <see cref="DealerCommandAccepted"/> (the target's id) or <see cref="DealerCommandRejected"/>.
/// </summary>
public sealed record SetDealerTarget(
    Guid CommandId,
    Guid TargetId,
    Guid DealerId,
    int Year,
    int? Month,
    DealerTargetLevels Tier1,
    DealerTargetLevels Tier2,
    DealerTargetLevels Tier3,
    long? ExpectedVersion,
    string Actor) : IDealerCommand;
