using Crm.Domain.Products;

namespace Crm.Domain.Tests.Products;

public class QuotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly PricingRule[] Rules =
    [
        new BasePrice("CHASSIS", 120_000m),
        new BasePrice("BOX", 30_000m),
        new BasePrice("LIFT", 8_000m),
        new BasePrice("GPS", 999.99m),
        new VolumeDiscount("GPS", [new VolumeTier(10, 0.1m), new VolumeTier(50, 0.2m)]),
        new BundleDiscount("Refrigerated kit", ["BOX", "LIFT"], 0.05m),
        new PriceFloor(0.85m),
    ];

    private static readonly Product[] Catalogue =
        new[] { "CHASSIS", "BOX", "LIFT", "GPS" }.Select(code => Product.Add(Guid.NewGuid(), code, code.ToLowerInvariant())).ToArray();

    [Fact]
    public void A_product_is_catalogued_revised_and_discontinued()
    {
        var product = Product.Add(Guid.NewGuid(), "LIFT-2T", "尾板", "2 t", "TL-2000");
        product.Revise("液压尾板", "2 t, 1.8 m", null);
        product.Discontinue(Now);
        Assert.Equal(("液压尾板", "2 t, 1.8 m", null, ProductState.Discontinued, Now), (product.Name, product.Spec, product.Model, product.State, product.DiscontinuedAt));
        product.Reinstate();
        Assert.True(product.IsActive);
        Assert.Equal(["code", "name"], Assert.Throws<DomainRuleViolation>(() => Product.Add(Guid.NewGuid(), "bad code", "")).Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Quote_applies_base_prices_volume_tiers_and_the_bundle_discount()
    {
        var price = new PriceBook(Rules).Price([new QuoteComponent("BOX", 1), new QuoteComponent("LIFT", 1), new QuoteComponent("GPS", 12)]);

        Assert.Equal(new QuotationLine("BOX", 1, 30_000m, 30_000m, 0m, "Refrigerated kit", 1_500m, 28_500m), price.Lines[0]);
        Assert.Equal(new QuotationLine("LIFT", 1, 8_000m, 8_000m, 0m, "Refrigerated kit", 400m, 7_600m), price.Lines[1]);
        // Graduated: 9 units at list, 3 at 10 % off: 8 999.91 + 2 699.97 = 11 699.88 (list 11 999.88).
        Assert.Equal(new QuotationLine("GPS", 12, 999.99m, 11_999.88m, 300m, null, 0m, 11_699.88m), price.Lines[2]);
        Assert.Equal((49_999.88m, 47_799.88m, 42_499.90m, 47_799.88m, false), (price.ListTotal, price.Subtotal, price.Floor, price.Total, price.FloorApplied));
    }

    [Fact]
    public void A_bundle_applies_only_when_all_its_components_are_quoted_and_each_line_only_once()
    {
        var book = new PriceBook([.. Rules, new BundleDiscount("Lift and GPS", ["LIFT", "GPS"], 0.5m)]);
        var withoutBox = book.Price([new QuoteComponent("LIFT", 1), new QuoteComponent("CHASSIS", 1)]);
        var withBox = book.Price([new QuoteComponent("LIFT", 1), new QuoteComponent("GPS", 1), new QuoteComponent("BOX", 1)]);

        Assert.All(withoutBox.Lines, l => Assert.Null(l.Bundle));
        Assert.Equal(["Refrigerated kit", null, "Refrigerated kit"], withBox.Lines.Select(l => l.Bundle));
    }

    [Fact]
    public void Discounts_never_take_the_total_below_the_floor()
    {
        var book = new PriceBook(
        [
            new BasePrice("BOX", 30_000m), new BasePrice("LIFT", 8_000m),
            new VolumeDiscount("BOX", [new VolumeTier(2, 0.3m)], VolumeDiscountMode.AllUnits),
            new BundleDiscount("Kit", ["BOX", "LIFT"], 0.2m),
            new PriceFloor(0.7m),
        ]);
        var price = book.Price([new QuoteComponent("BOX", 2), new QuoteComponent("LIFT", 1)]);
        Assert.Equal((68_000m, 40_000m, 47_600m, 47_600m, true), (price.ListTotal, price.Subtotal, price.Floor, price.Total, price.FloorApplied));
    }

    [Fact]
    public void Invalid_pricing_rules_are_reported_by_rule()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => new PriceBook(
        [
            new BasePrice("BOX", -1m),
            new BasePrice("box", 1m),
            new VolumeDiscount("BOX", [new VolumeTier(10, 0.2m), new VolumeTier(5, 0.1m)]),
            new BundleDiscount("Solo", ["BOX"], 1m),
            new PriceFloor(1.5m),
            new PriceFloor(0.5m),
        ]));
        string[] expected = ["rules[0].unitPrice", "rules[1].componentCode", "rules[2].tiers[1].minQuantity", "rules[2].tiers[1].discount",
            "rules[3].componentCodes", "rules[3].discount", "rules[4].shareOfList", "rules[5]"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_quotation_refuses_unknown_and_discontinued_components()
    {
        var discontinued = Product.Add(Guid.NewGuid(), "OLD-BOX", "old box");
        discontinued.Discontinue(Now);
        var ex = Assert.Throws<DomainRuleViolation>(() => Quotation.Prepare(Guid.NewGuid(), Guid.NewGuid(),
            [new QuoteComponent("OLD-BOX", 1), new QuoteComponent("WINGS", 1)], new PriceBook(Rules), [.. Catalogue, discontinued], "sales-li", Now));
        Assert.Equal(["components[0].code", "components[1].code"], ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_quotation_keeps_the_price_and_holds_it_for_its_validity()
    {
        var id = Guid.Parse("0b9f3c5e-1d2a-4c7b-9e8f-123456789abc");
        var quotation = Quotation.Prepare(id, Guid.NewGuid(), [new QuoteComponent("CHASSIS", 1), new QuoteComponent("box", 1)], new PriceBook(Rules), Catalogue, "sales-li", Now, validDays: 15);
        Assert.Equal(("QT0B9F3C5E1D2A", 150_000m, new DateOnly(2026, 12, 7)), (quotation.Number, quotation.Total, quotation.ValidUntil));
        Assert.True(quotation.IsValidOn(new DateOnly(2026, 12, 7)));
        Assert.False(quotation.IsValidOn(new DateOnly(2026, 12, 8)));
        Assert.Equal(2, quotation.Lines.Count);
    }

    private static PriceBook RandomBook(Random random, bool graduated)
    {
        var codes = new[] { "A", "B", "C", "D", "E" };
        var rules = new List<PricingRule>();
        rules.AddRange(codes.Select(c => new BasePrice(c, random.Cents(5_000m))));
        foreach (var code in codes.Where(_ => random.Next(2) == 0))
        {
            var min = 0;
            var discount = 0m;
            rules.Add(new VolumeDiscount(code, Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            {
                min += random.Next(1, 20);
                discount = Math.Min(0.95m, discount + random.Cents(0.3m));
                return new VolumeTier(min, discount);
            }).ToArray(), graduated ? VolumeDiscountMode.Graduated : random.Pick([VolumeDiscountMode.Graduated, VolumeDiscountMode.AllUnits])));
        }
        for (var b = 0; b < random.Next(0, 3); b++)
            rules.Add(new BundleDiscount($"bundle {b}", codes.OrderBy(_ => random.Next()).Take(random.Next(2, 4)).ToArray(), random.Cents(0.5m)));
        if (random.Next(3) > 0)
            rules.Add(new PriceFloor(random.Cents(1m)));
        return new PriceBook(rules.OrderBy(_ => random.Next()).ToArray());
    }

    private static QuoteComponent[] RandomComponents(Random random) =>
        new[] { "A", "B", "C", "D", "E" }.Where(_ => random.Next(3) > 0).Select(c => new QuoteComponent(c, random.Next(1, 80))).DefaultIfEmpty(new QuoteComponent("A", 1)).ToArray();

    [Fact]
    public void Quote_total_is_never_below_the_floor_and_every_amount_is_in_cents()
    {
        Property.ForAll(seed: 40, cases: 1000, random =>
        {
            var price = RandomBook(random, graduated: false).Price(RandomComponents(random));
            Assert.True(price.Total >= price.Floor);
            Assert.True(price.Total <= price.ListTotal);
            Assert.Equal(price.Subtotal, price.Lines.Sum(l => l.Amount));
            Assert.All(price.Lines, l =>
            {
                Assert.Equal(l.ListAmount, l.VolumeDiscount + l.BundleDiscount + l.Amount);
                Assert.True(l.VolumeDiscount >= 0 && l.BundleDiscount >= 0 && l.Amount >= 0);
                Assert.Equal(l.Amount, decimal.Round(l.Amount, 2));
            });
        });
    }

    [Fact]
    public void Quote_total_never_drops_when_a_quantity_grows_under_graduated_tiers()
    {
        Property.ForAll(seed: 41, cases: 1000, random =>
        {
            var book = RandomBook(random, graduated: true);
            Assert.True(book.IsMonotoneInQuantity);
            var components = RandomComponents(random);
            var grown = components.ToArray();
            var i = random.Next(grown.Length);
            grown[i] = grown[i] with { Quantity = grown[i].Quantity + random.Next(1, 30) };

            Assert.True(book.Price(grown).Total >= book.Price(components).Total);
        });
    }

    [Fact]
    public void All_unit_tiers_can_make_one_more_unit_cheaper_and_the_book_says_so()
    {
        var book = new PriceBook([new BasePrice("GPS", 100m), new VolumeDiscount("GPS", [new VolumeTier(10, 0.2m)], VolumeDiscountMode.AllUnits)]);
        Assert.False(book.IsMonotoneInQuantity);
        Assert.True(book.Price([new QuoteComponent("GPS", 10)]).Total < book.Price([new QuoteComponent("GPS", 9)]).Total);
    }

    [Fact]
    public void Quote_price_does_not_depend_on_the_order_components_are_listed_in()
    {
        Property.ForAll(seed: 42, cases: 500, random =>
        {
            var book = RandomBook(random, graduated: false);
            var components = RandomComponents(random);
            var shuffled = components.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(book.Price(components).Total, book.Price(shuffled).Total);
        });
    }
}
