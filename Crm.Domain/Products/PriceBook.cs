namespace Crm.Domain.Products;

/// <summary>A component and how many of it are quoted.</summary>
/// <param name="Code">Catalogue code.</param>
/// <param name="Quantity">Units, at least one.</param>
public sealed record QuoteComponent(string Code, int Quantity);

/// <summary>One priced line of a quote. Every amount is in whole cents.</summary>
/// <param name="ComponentCode">Catalogue code.</param>
/// <param name="Quantity">Units.</param>
/// <param name="UnitPrice">List price per unit.</param>
/// <param name="ListAmount">Quantity × unit price.</param>
/// <param name="VolumeDiscount">Taken off for volume.</param>
/// <param name="Bundle">The bundle that discounted the line, if any.</param>
/// <param name="BundleDiscount">Taken off for the bundle.</param>
/// <param name="Amount">What the line costs.</param>
public sealed record QuotationLine(string ComponentCode, int Quantity, decimal UnitPrice, decimal ListAmount, decimal VolumeDiscount,
    string? Bundle, decimal BundleDiscount, decimal Amount);

/// <summary>A priced combination of components.</summary>
/// <param name="Lines">The lines, in the order asked.</param>
/// <param name="ListTotal">Sum of the list amounts.</param>
/// <param name="Subtotal">Sum of the line amounts, after discounts.</param>
/// <param name="Floor">The lowest the total may be.</param>
/// <param name="Total">The price quoted: the subtotal, raised to the floor if below it.</param>
public sealed record QuotePrice(IReadOnlyList<QuotationLine> Lines, decimal ListTotal, decimal Subtotal, decimal Floor, decimal Total)
{
    /// <summary>Whether the floor raised the price.</summary>
    public bool FloorApplied => Total > Subtotal;
}

/// <summary>
/// A validated set of <see cref="PricingRule"/>s that prices combinations of components
/// deterministically: list price per component, volume tiers, bundle discounts, then the floor.
/// Every step rounds half away from zero to the cent, and the total is never below the floor.
/// </summary>
public sealed class PriceBook
{
    private readonly Dictionary<string, decimal> _prices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, VolumeDiscount> _volume = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<BundleDiscount> _bundles = [];
    private readonly decimal _floorShare;

    /// <summary>Takes the rules, or throws <see cref="DomainRuleViolation"/> with fields <c>rules[i]…</c> for every broken one.</summary>
    public PriceBook(IEnumerable<PricingRule> rules)
    {
        Rules = rules.ToArray();
        var check = new RuleCheck();
        var floors = 0;
        for (var i = 0; i < Rules.Count; i++)
        {
            var field = $"rules[{i}]";
            switch (Rules[i])
            {
                case BasePrice price:
                    check.RequireText(price.ComponentCode, $"{field}.componentCode", 32)
                        .Require(price.UnitPrice >= 0 && price.UnitPrice == decimal.Round(price.UnitPrice, 2), $"{field}.unitPrice", "must not be negative, in whole cents")
                        .Require(price.ComponentCode is null || _prices.TryAdd(price.ComponentCode.Trim(), price.UnitPrice), $"{field}.componentCode", "has a price already");
                    break;
                case VolumeDiscount volume:
                    check.RequireText(volume.ComponentCode, $"{field}.componentCode", 32)
                        .Require(Enum.IsDefined(volume.Mode), $"{field}.mode", "is not a known mode")
                        .Require(volume.Tiers is { Count: > 0 }, $"{field}.tiers", "at least one tier")
                        .Require(volume.ComponentCode is null || _volume.TryAdd(volume.ComponentCode.Trim(), volume), $"{field}.componentCode", "has volume tiers already");
                    for (var t = 0; t < (volume.Tiers?.Count ?? 0); t++)
                    {
                        var tier = volume.Tiers![t];
                        check.Require(tier.MinQuantity >= 1 && (t == 0 || tier.MinQuantity > volume.Tiers[t - 1].MinQuantity), $"{field}.tiers[{t}].minQuantity", "must be at least 1 and above the tier before")
                            .Require(tier.Discount is >= 0 and < 1 && (t == 0 || tier.Discount >= volume.Tiers[t - 1].Discount), $"{field}.tiers[{t}].discount", "must be from 0 up to but excluding 1, and not below the tier before");
                    }
                    break;
                case BundleDiscount bundle:
                    check.RequireText(bundle.Name, $"{field}.name", 64)
                        .Require(bundle.ComponentCodes is { Count: >= 2 } && bundle.ComponentCodes.All(c => !string.IsNullOrWhiteSpace(c))
                            && bundle.ComponentCodes.Distinct(StringComparer.OrdinalIgnoreCase).Count() == bundle.ComponentCodes.Count, $"{field}.componentCodes", "at least two different components")
                        .Require(bundle.Discount is >= 0 and < 1, $"{field}.discount", "must be from 0 up to but excluding 1");
                    _bundles.Add(bundle);
                    break;
                case PriceFloor floor:
                    floors++;
                    check.Require(floor.ShareOfList is >= 0 and <= 1, $"{field}.shareOfList", "must be from 0 to 1")
                        .Require(floors == 1, field, "a price book has at most one floor");
                    _floorShare = floor.ShareOfList;
                    break;
                default:
                    check.Require(false, field, "is not a known pricing rule");
                    break;
            }
        }
        check.ThrowIfBroken();
    }

    /// <summary>The rules, as given.</summary>
    public IReadOnlyList<PricingRule> Rules { get; }

    /// <summary>Whether quoting more of any component never lowers the total: true unless a volume rule applies to all units.</summary>
    public bool IsMonotoneInQuantity => _volume.Values.All(v => v.Mode == VolumeDiscountMode.Graduated);

    /// <summary>Whether the book has a list price for <paramref name="componentCode"/>.</summary>
    public bool Prices(string componentCode) => _prices.ContainsKey(componentCode.Trim());

    /// <summary>Prices <paramref name="components"/>, or throws <see cref="DomainRuleViolation"/> with fields <c>components[i]…</c>.</summary>
    public QuotePrice Price(IReadOnlyList<QuoteComponent> components)
    {
        var check = new RuleCheck().Require(components is { Count: > 0 and <= 200 }, "components", "a quote has 1 to 200 components");
        for (var i = 0; i < (components?.Count ?? 0); i++)
        {
            var component = components![i];
            check.Require(!string.IsNullOrWhiteSpace(component.Code) && Prices(component.Code), $"components[{i}].code", "has no list price")
                .Require(components.Count(c => string.Equals(c.Code?.Trim(), component.Code?.Trim(), StringComparison.OrdinalIgnoreCase)) == 1, $"components[{i}].code", "is asked twice")
                .Require(component.Quantity is >= 1 and <= 1_000_000, $"components[{i}].quantity", "must be from 1 to 1,000,000");
        }
        check.ThrowIfBroken();

        var codes = components!.Select(c => c.Code.Trim()).ToArray();
        var afterVolume = components!.Select(c => Round(AfterVolume(c.Code.Trim(), c.Quantity))).ToArray();
        var bundleOf = new string?[codes.Length];
        var bundleDiscount = new decimal[codes.Length];
        foreach (var bundle in _bundles)
        {
            var members = bundle.ComponentCodes.Select(code => Array.FindIndex(codes, c => string.Equals(c, code.Trim(), StringComparison.OrdinalIgnoreCase))).ToArray();
            if (members.Any(m => m < 0 || bundleOf[m] is not null))
                continue;
            foreach (var m in members)
            {
                bundleOf[m] = bundle.Name.Trim();
                bundleDiscount[m] = afterVolume[m] - Round(afterVolume[m] * (1 - bundle.Discount));
            }
        }

        var lines = components!.Select((c, i) =>
        {
            var unit = _prices[codes[i]];
            var list = Round(unit * c.Quantity);
            return new QuotationLine(codes[i], c.Quantity, unit, list, list - afterVolume[i], bundleOf[i], bundleDiscount[i], afterVolume[i] - bundleDiscount[i]);
        }).ToArray();
        var listTotal = lines.Sum(l => l.ListAmount);
        var subtotal = lines.Sum(l => l.Amount);
        var floor = Round(listTotal * _floorShare);
        return new QuotePrice(lines, listTotal, subtotal, floor, Math.Max(subtotal, floor));
    }

    private decimal AfterVolume(string code, int quantity)
    {
        var unit = _prices[code];
        if (!_volume.TryGetValue(code, out var volume))
            return unit * quantity;
        if (volume.Mode == VolumeDiscountMode.AllUnits)
        {
            var reached = volume.Tiers.LastOrDefault(t => t.MinQuantity <= quantity);
            return unit * quantity * (1 - (reached?.Discount ?? 0));
        }
        // Graduated: units below the first tier at list price, each tier's units at its discount.
        var value = 0m;
        var from = 1;
        var discount = 0m;
        foreach (var tier in volume.Tiers.Where(t => t.MinQuantity <= quantity))
        {
            value += (tier.MinQuantity - from) * unit * (1 - discount);
            (from, discount) = (tier.MinQuantity, tier.Discount);
        }
        return value + (quantity - from + 1) * unit * (1 - discount);
    }

    private static decimal Round(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}
