namespace Crm.Contracts.Products;

/// <summary>
/// One pricing rule of a price book, as it travels. <paramref name="Kind"/> says which fields count:
/// <c>basePrice</c> (componentCode, unitPrice), <c>volume</c> (componentCode, tiers, mode <c>Graduated</c> or
/// <c>AllUnits</c>), <c>bundle</c> (name, componentCodes, discount), <c>floor</c> (shareOfList).
/// </summary>
/// <param name="Kind">basePrice, volume, bundle or floor.</param>
/// <param name="ComponentCode">The component priced or discounted (basePrice, volume).</param>
/// <param name="UnitPrice">List price per unit, in whole cents (basePrice).</param>
/// <param name="Tiers">Volume tiers by increasing quantity (volume).</param>
/// <param name="Mode">How the tiers apply (volume); Graduated when absent.</param>
/// <param name="Name">Bundle name shown on the quote (bundle).</param>
/// <param name="ComponentCodes">Components that must all be quoted (bundle).</param>
/// <param name="Discount">Fraction taken off, from 0 up to but excluding 1 (bundle).</param>
/// <param name="ShareOfList">The floor as a share of the list total, 0 to 1 (floor).</param>
public sealed record PricingRuleData(
    string Kind,
    string? ComponentCode = null,
    decimal? UnitPrice = null,
    IReadOnlyList<VolumeTierData>? Tiers = null,
    string? Mode = null,
    string? Name = null,
    IReadOnlyList<string>? ComponentCodes = null,
    decimal? Discount = null,
    decimal? ShareOfList = null);
