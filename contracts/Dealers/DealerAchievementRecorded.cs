namespace Crm.Contracts.Dealers;

/// <summary>
/// Event: a sale or a receipt was counted towards a dealer's achievement (its ledger), once per source event.
/// <paramref name="Source"/> is <c>order</c>, <c>erp-receipt</c> or <c>billing-payment</c>.
/// </summary>
public sealed record DealerAchievementRecorded(
    Guid EntryId,
    Guid DealerId,
    string DealerCode,
    string Source,
    string Reference,
    DateOnly On,
    int Units,
    decimal SalesAmount,
    decimal Receipts);
