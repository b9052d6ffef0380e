namespace Crm.Contracts.Products;

/// <summary>Event: the standard price book got new rules; quotes from now on are priced with them.</summary>
public sealed record PriceBookChanged(Guid PriceBookId, IReadOnlyList<PricingRuleData> Rules, long Version, DateTimeOffset ChangedAt, string Actor);
