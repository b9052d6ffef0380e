namespace Crm.Contracts.Notifications;

/// <summary>
/// Event: a dealer's month-to-date result is behind its monthly target (003 §3.2.5 目标管理).
/// <paramref name="Metric"/> is the measure behind (<c>Units</c>, <c>SalesAmount</c> or <c>Receipts</c>, as the domain's <c>TargetMeasure</c>); <paramref name="Month"/> is <c>yyyy-MM</c>.
/// </summary>
public sealed record DealerFellBehindTarget(
    string DealerCode,
    string DealerName,
    string Month,
    string Metric,
    decimal Target,
    decimal Actual,
    string AccountManagerUserId,
    DateTimeOffset DetectedAt);
