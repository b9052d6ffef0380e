namespace Crm.Domain.Products;

/// <summary>One configurable rule of the automatic quote (003 §3.5 标准自动报价计算).</summary>
public abstract record PricingRule;

/// <summary>The list price of one unit of a component.</summary>
/// <param name="ComponentCode">Catalogue code.</param>
/// <param name="UnitPrice">Price per unit, in whole cents, not negative.</param>
public sealed record BasePrice(string ComponentCode, decimal UnitPrice) : PricingRule;

/// <summary>A discount from a quantity on.</summary>
/// <param name="MinQuantity">The first unit count the discount applies to, at least 1.</param>
/// <param name="Discount">Fraction taken off, from 0 up to but excluding 1.</param>
public sealed record VolumeTier(int MinQuantity, decimal Discount);

/// <summary>How volume tiers apply.</summary>
public enum VolumeDiscountMode
{
    /// <summary>
    /// Each tier's discount applies to the units within that tier, as tax brackets do. Buying one
    /// more unit then never lowers the price: the quote is monotone in quantity.
    /// </summary>
    Graduated,
    /// <summary>The discount of the tier reached applies to every unit. Simple, but crossing a tier can lower the total.</summary>
    AllUnits,
}

/// <summary>Volume discount tiers for a component.</summary>
/// <param name="ComponentCode">Catalogue code.</param>
/// <param name="Tiers">Tiers by increasing quantity, with discounts that never decrease.</param>
/// <param name="Mode">How the tiers apply.</param>
public sealed record VolumeDiscount(string ComponentCode, IReadOnlyList<VolumeTier> Tiers, VolumeDiscountMode Mode = VolumeDiscountMode.Graduated) : PricingRule;

/// <summary>
/// A discount on components that are quoted together. Bundles apply in the order of the rules;
/// a line discounted by one bundle is not discounted by another.
/// </summary>
/// <param name="Name">Name shown on the quote.</param>
/// <param name="ComponentCodes">The components that must all be quoted, at least two.</param>
/// <param name="Discount">Fraction taken off those lines, from 0 up to but excluding 1.</param>
public sealed record BundleDiscount(string Name, IReadOnlyList<string> ComponentCodes, decimal Discount) : PricingRule;

/// <summary>The lowest a quote may go: a share of its list total. Discounts never take the total below it.</summary>
/// <param name="ShareOfList">From 0 to 1.</param>
public sealed record PriceFloor(decimal ShareOfList) : PricingRule;
