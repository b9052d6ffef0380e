using Crm.Domain.Customers;
using Crm.Domain.Dealers;

namespace Crm.Domain.Tests.Dealers;

public class TargetPaceTests
{
    private static readonly Customer Dealer =
        Customer.Register(Guid.NewGuid(), new CustomerProfile("D-09", "襄阳恒通专用车经销部", CustomerKind.Dealer), "channel-chen", DateTimeOffset.UtcNow);

    private static DealerTarget April(TargetLevels tier1) =>
        DealerTarget.Monthly(Guid.NewGuid(), Dealer, 2026, 4, tier1, tier1, tier1, "channel-chen");

    [Fact]
    public void Behind_when_month_to_date_is_below_the_share_of_the_pro_rata_target()
    {
        var target = April(new TargetLevels(30, 300_000m, 150_000m));
        var rule = new PaceRule { BehindShare = 0.8m, NotBeforeDay = 10 };

        // 15 April: half the month, so the pace asks 15 units, 150,000 sales and 75,000 receipts; 80 % of that is the bar.
        var behind = TargetPace.Shortfalls(target, new TargetLevels(12, 119_999.99m, 75_000m), new DateOnly(2026, 4, 15), rule);

        Assert.Equal([new PaceShortfall(TargetMeasure.SalesAmount, 150_000m, 119_999.99m)], behind);
        Assert.Empty(TargetPace.Shortfalls(target, new TargetLevels(12, 120_000m, 60_000m), new DateOnly(2026, 4, 15), rule));
        // Two thirds of April: exactly 20 units, 200,000 and 100,000, not a hair above.
        Assert.Equal([new PaceShortfall(TargetMeasure.Units, 20m, 15m), new PaceShortfall(TargetMeasure.SalesAmount, 200_000m, 0m), new PaceShortfall(TargetMeasure.Receipts, 100_000m, 0m)],
            TargetPace.Shortfalls(target, new TargetLevels(15, 0m, 0m), new DateOnly(2026, 4, 20), new PaceRule { BehindShare = 1m }));
    }

    [Fact]
    public void Not_checked_before_the_first_day_of_the_rule_nor_outside_the_month_nor_on_measures_left_out()
    {
        var target = April(new TargetLevels(30, 300_000m, 150_000m));
        var rule = new PaceRule { NotBeforeDay = 10, Measures = TargetMeasure.Receipts };

        Assert.Empty(TargetPace.Shortfalls(target, TargetLevels.Zero, new DateOnly(2026, 4, 9), rule));
        Assert.Empty(TargetPace.Shortfalls(target, TargetLevels.Zero, new DateOnly(2026, 5, 20), rule));
        Assert.Equal([TargetMeasure.Receipts], TargetPace.Shortfalls(target, TargetLevels.Zero, new DateOnly(2026, 4, 10), rule).Select(s => s.Measure));
    }

    [Fact]
    public void A_rule_that_makes_no_sense_is_refused_with_its_fields()
    {
        var violation = Assert.Throws<DomainRuleViolation>(() => new PaceRule { BehindShare = 0m, NotBeforeDay = 31, Tier = 4, Measures = TargetMeasure.None }.Validate());
        Assert.Equal(["behindShare", "measures", "notBeforeDay", "tier"], violation.Errors.Keys.Order());
    }

    [Fact]
    public void More_achievement_never_puts_a_dealer_further_behind_and_a_met_target_is_never_behind()
    {
        Property.ForAll(seed: 31, cases: 500, random =>
        {
            var tier1 = new TargetLevels(random.Next(0, 50), random.Cents(500_000m), random.Cents(400_000m));
            var target = April(tier1);
            var rule = new PaceRule { BehindShare = random.Next(1, 101) / 100m, NotBeforeDay = random.Next(1, 29) };
            var on = new DateOnly(2026, 4, random.Next(1, 31));
            var actual = new TargetLevels(random.Next(0, 50), random.Cents(500_000m), random.Cents(400_000m));
            var more = new TargetLevels(actual.Units + random.Next(0, 10), actual.SalesAmount + random.Cents(50_000m), actual.Receipts + random.Cents(50_000m));

            var before = TargetPace.Shortfalls(target, actual, on, rule).Select(s => s.Measure).ToHashSet();
            var after = TargetPace.Shortfalls(target, more, on, rule).Select(s => s.Measure).ToHashSet();

            Assert.Subset(before, after);
            Assert.Empty(TargetPace.Shortfalls(target, tier1, on, rule));
        });
    }

    [Fact]
    public void With_the_same_result_a_later_day_is_never_less_behind()
    {
        Property.ForAll(seed: 32, cases: 500, random =>
        {
            var target = April(new TargetLevels(random.Next(0, 50), random.Cents(500_000m), random.Cents(400_000m)));
            var rule = new PaceRule { BehindShare = random.Next(1, 101) / 100m, NotBeforeDay = 1 };
            var actual = new TargetLevels(random.Next(0, 50), random.Cents(500_000m), random.Cents(400_000m));
            var day = random.Next(1, 30);

            var earlier = TargetPace.Shortfalls(target, actual, new DateOnly(2026, 4, day), rule).Select(s => s.Measure).ToHashSet();
            var later = TargetPace.Shortfalls(target, actual, new DateOnly(2026, 4, random.Next(day, 31)), rule).Select(s => s.Measure).ToHashSet();

            Assert.Subset(later, earlier);
        });
    }
}
