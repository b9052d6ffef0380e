namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: check every dealer with a monthly target for <paramref name="On"/> against the pace rule, and tell whoever looks after
/// a dealer that fell behind (<c>DealerFellBehindTarget</c>, once per dealer and month). Sent by the dealers endpoint's own timer.
/// </summary>
public sealed record EvaluateDealerPace(DateOnly On, DateTimeOffset RequestedAt);
