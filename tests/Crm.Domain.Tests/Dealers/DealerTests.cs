using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Crm.Domain.Orders;

namespace Crm.Domain.Tests.Dealers;

public class DealerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 0, 0, TimeSpan.FromHours(8));

    private static Customer Dealer(string code = "D-07") =>
        Customer.Register(Guid.NewGuid(), new CustomerProfile(code, "武汉顺达改装车经销有限公司", CustomerKind.Dealer), "channel-chen", Now);

    private static readonly TargetLevels Tier1 = new(10, 100_000m, 80_000m);
    private static readonly TargetLevels Tier2 = new(20, 200_000m, 160_000m);
    private static readonly TargetLevels Tier3 = new(30, 300_000m, 240_000m);

    [Fact]
    public void Only_a_customer_of_kind_dealer_can_be_inspected()
    {
        var direct = Customer.Register(Guid.NewGuid(), new CustomerProfile("C1", "华信", CustomerKind.Direct), null, Now);
        var ex = Assert.Throws<DomainRuleViolation>(() => InspectionVisit.Record(Guid.NewGuid(), direct, "channel-chen", new DateOnly(2026, 3, 1),
            [new InspectionScore(InspectionVisit.Qualification, 1m, 80m)]));
        Assert.Contains("dealerId", ex.Errors.Keys);
    }

    [Fact]
    public void Inspection_total_is_the_weighted_sum_of_the_scores()
    {
        var visit = InspectionVisit.Record(Guid.NewGuid(), Dealer(), "channel-chen", new DateOnly(2026, 3, 1),
        [
            new InspectionScore(InspectionVisit.Qualification, 0.3m, 90m),
            new InspectionScore(InspectionVisit.Assets, 0.3m, 70m),
            new InspectionScore(InspectionVisit.Experience, 0.25m, 85.5m),
            new InspectionScore(InspectionVisit.Premises, 0.15m, 60m),
        ], "showroom small but clean");
        Assert.Equal(78.38m, visit.WeightedTotal);
        Assert.True(visit.Meets(75m));
        Assert.False(visit.Meets(80m));
    }

    [Fact]
    public void Inspection_weights_must_add_up_to_one_and_scores_stay_within_0_to_100()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => InspectionVisit.Record(Guid.NewGuid(), Dealer(), "channel-chen", new DateOnly(2026, 3, 1),
        [
            new InspectionScore(InspectionVisit.Qualification, 0.5m, 101m),
            new InspectionScore("QUALIFICATION", 0.3m, -1m),
            new InspectionScore(InspectionVisit.Premises, 0m, 50m),
        ]));
        string[] expected = ["scores", "scores[0].criterion", "scores[0].score", "scores[1].criterion", "scores[1].score", "scores[2].weight"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Inspection_total_lies_between_the_lowest_and_highest_score()
    {
        Property.ForAll(seed: 20, cases: 500, random =>
        {
            var count = random.Next(1, 6);
            var weights = Enumerable.Range(0, count).Select(_ => random.Next(1, 100)).ToArray();
            var shares = weights.Select(w => decimal.Round((decimal)w / weights.Sum(), 4)).ToArray();
            shares[^1] = 1m - shares[..^1].Sum();
            if (shares[^1] <= 0)
                return;
            var scores = shares.Select((w, i) => new InspectionScore($"c{i}", w, random.Cents(100m))).ToArray();

            var visit = InspectionVisit.Record(Guid.NewGuid(), Dealer(), "channel-chen", new DateOnly(2026, 3, 1), scores);

            Assert.InRange(visit.WeightedTotal, scores.Min(s => s.Score) - 0.005m, scores.Max(s => s.Score) + 0.005m);
        });
    }

    [Fact]
    public void A_negotiation_that_agrees_settles_at_least_one_term()
    {
        var dealer = Dealer();
        Assert.Contains("terms", Assert.Throws<DomainRuleViolation>(() =>
            NegotiationRecord.Record(Guid.NewGuid(), dealer, new DateOnly(2026, 3, 2), "channel-chen", "陈经理; 顺达 刘总", [], NegotiationOutcome.Agreed)).Errors.Keys);
        var record = NegotiationRecord.Record(Guid.NewGuid(), dealer, new DateOnly(2026, 3, 2), "channel-chen", "陈经理; 顺达 刘总",
            [new NegotiatedTerm("territory", "湖北省"), new NegotiatedTerm("payment", "30% deposit")], NegotiationOutcome.Agreed);
        Assert.Equal((dealer.Id, 2), (record.DealerId, record.Terms.Count));
    }

    [Fact]
    public void Agency_contract_goes_from_draft_through_approval_to_active_and_expires()
    {
        var contract = AgencyContract.Draft(Guid.NewGuid(), Dealer(), "湖北省", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "exclusive agency", "channel-chen");
        Assert.Equal(AgencyContractStatus.Draft, contract.Status);
        Assert.StartsWith("AC", contract.Number);

        contract.Submit("channel-chen", Now);
        Assert.Contains("approverId", Assert.Throws<DomainRuleViolation>(() => contract.Approve("channel-chen", Now)).Errors.Keys);
        contract.Approve("director-he", Now.AddDays(1));
        Assert.False(contract.IsInForce(new DateOnly(2026, 4, 2)));
        contract.Activate(new DateOnly(2026, 3, 28));

        Assert.Equal(AgencyContractStatus.Active, contract.Status);
        Assert.True(contract.IsInForce(new DateOnly(2026, 4, 2)));
        Assert.False(contract.IsInForce(new DateOnly(2026, 3, 31)));
        Assert.False(contract.ExpireIfDue(new DateOnly(2027, 3, 31)));
        Assert.True(contract.ExpireIfDue(new DateOnly(2027, 4, 1)));
        Assert.Equal(AgencyContractStatus.Expired, contract.Status);
    }

    [Fact]
    public void An_active_contract_is_due_for_a_reminder_within_the_days_before_its_last_day_and_not_after_it_ended()
    {
        var contract = AgencyContract.Draft(Guid.NewGuid(), Dealer(), "湖北省", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "exclusive agency", "channel-chen");
        Assert.False(contract.EndsWithin(new DateOnly(2027, 3, 30), 30));
        contract.Submit("channel-chen", Now);
        contract.Approve("director-he", Now);
        contract.Activate(new DateOnly(2026, 3, 28));

        Assert.False(contract.EndsWithin(new DateOnly(2027, 2, 28), 30));
        Assert.True(contract.EndsWithin(new DateOnly(2027, 3, 1), 30));
        Assert.True(contract.EndsWithin(new DateOnly(2027, 3, 31), 30));
        Assert.True(contract.EndsWithin(new DateOnly(2027, 3, 31), 0));
        Assert.False(contract.EndsWithin(new DateOnly(2027, 4, 1), 30));
        contract.ExpireIfDue(new DateOnly(2027, 4, 1));
        Assert.False(contract.EndsWithin(new DateOnly(2027, 3, 31), 30));
    }

    [Fact]
    public void Merging_two_dealers_with_a_target_for_the_same_period_is_refused_naming_the_periods()
    {
        var survivor = Dealer("D-01");
        var duplicate = Dealer("D-02");
        DealerTarget[] mine = [DealerTarget.Annual(Guid.NewGuid(), survivor, 2026, Tier1, Tier2, Tier3, "channel-chen"),
            DealerTarget.Monthly(Guid.NewGuid(), survivor, 2026, 4, Tier1, Tier2, Tier3, "channel-chen")];
        DealerTarget[] theirs = [DealerTarget.Monthly(Guid.NewGuid(), duplicate, 2026, 4, Tier1, Tier2, Tier3, "channel-chen"),
            DealerTarget.Monthly(Guid.NewGuid(), duplicate, 2026, 5, Tier1, Tier2, Tier3, "channel-chen"),
            DealerTarget.Annual(Guid.NewGuid(), duplicate, 2026, Tier1, Tier2, Tier3, "channel-chen")];

        var ex = Assert.Throws<DomainRuleViolation>(() => DealerMerge.Check(survivor, duplicate, mine, theirs, duplicateHasDealerRecords: true));

        var message = Assert.Single(ex.Errors["duplicateId"]);
        Assert.Contains("2026 (annual), 2026-04", message);
        Assert.DoesNotContain("2026-05", message);
        DealerMerge.Check(survivor, duplicate, mine, theirs.Skip(1).Take(1), duplicateHasDealerRecords: true);
    }

    [Fact]
    public void Dealer_records_move_only_to_a_dealer()
    {
        var direct = Customer.Register(Guid.NewGuid(), new CustomerProfile("C1", "华信", CustomerKind.Direct), null, Now);
        var duplicate = Dealer("D-02");

        var ex = Assert.Throws<DomainRuleViolation>(() => DealerMerge.Check(direct, duplicate, [], [], duplicateHasDealerRecords: true));

        Assert.Contains("survivorId", ex.Errors.Keys);
        DealerMerge.Check(direct, duplicate, [], [], duplicateHasDealerRecords: false);
    }

    [Fact]
    public void Dealer_records_moved_in_a_merge_belong_to_the_survivor()
    {
        var (survivor, duplicate) = (Dealer("D-01"), Dealer("D-02"));
        var visit = InspectionVisit.Record(Guid.NewGuid(), duplicate, "channel-chen", new DateOnly(2026, 3, 1), [new InspectionScore(InspectionVisit.Qualification, 1m, 80m)]);
        var talk = NegotiationRecord.Record(Guid.NewGuid(), duplicate, new DateOnly(2026, 3, 2), "channel-chen", "王总", [], NegotiationOutcome.Continuing);
        var contract = AgencyContract.Draft(Guid.NewGuid(), duplicate, "湖北省", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "agency", "channel-chen");
        var target = DealerTarget.Annual(Guid.NewGuid(), duplicate, 2026, Tier1, Tier2, Tier3, "channel-chen");

        visit.MoveToDealer(survivor.Id);
        talk.MoveToDealer(survivor.Id);
        contract.MoveToDealer(survivor.Id);
        target.MoveToDealer(survivor.Id);

        Assert.All(new[] { visit.DealerId, talk.DealerId, contract.DealerId, target.DealerId }, id => Assert.Equal(survivor.Id, id));
        Assert.Throws<DomainRuleViolation>(() => target.MoveToDealer(Guid.Empty));
    }

    [Fact]
    public void A_rejected_contract_is_revised_into_a_draft_and_resubmitted()
    {
        var contract = AgencyContract.Draft(Guid.NewGuid(), Dealer(), "湖北省", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "exclusive agency", "channel-chen");
        contract.Submit("channel-chen", Now);
        contract.Reject("director-he", "exclusivity too broad", Now);
        Assert.Equal((AgencyContractStatus.Rejected, "exclusivity too broad"), (contract.Status, contract.RejectionReason));
        Assert.Throws<DomainRuleViolation>(() => contract.Activate(new DateOnly(2026, 4, 1)));

        contract.Revise("武汉市", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "non-exclusive agency");
        contract.Submit("channel-chen", Now.AddDays(2));
        contract.Approve("director-he", Now.AddDays(3));
        Assert.Equal((AgencyContractStatus.Approved, "武汉市", null), (contract.Status, contract.Territory, contract.RejectionReason));
        Assert.Throws<DomainRuleViolation>(() => contract.Revise("湖北省", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "x"));
    }

    [Fact]
    public void Target_tiers_must_not_decrease()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => DealerTarget.Annual(Guid.NewGuid(), Dealer(), 2026, Tier2, Tier1, Tier3, "channel-chen"));
        Assert.Equal(["tier2"], ex.Errors.Keys);
        Assert.Contains("month", Assert.Throws<DomainRuleViolation>(() => DealerTarget.Monthly(Guid.NewGuid(), Dealer(), 2026, 13, Tier1, Tier2, Tier3, "channel-chen")).Errors.Keys);
    }

    [Fact]
    public void Achievement_counts_only_the_target_period_and_reaches_the_highest_tier_met_on_every_measure()
    {
        var target = DealerTarget.Monthly(Guid.NewGuid(), Dealer(), 2026, 3, Tier1, Tier2, Tier3, "channel-chen");
        SaleFact[] sales = [new(new DateOnly(2026, 3, 1), 12, 150_000m), new(new DateOnly(2026, 3, 31), 20, 60_000m), new(new DateOnly(2026, 4, 1), 50, 900_000m)];
        ReceiptFact[] receipts = [new(new DateOnly(2026, 3, 20), 170_000m), new(new DateOnly(2026, 2, 28), 99_000m)];

        var achievement = TargetAchievement.Measure(target, sales, receipts);

        Assert.Equal(new TargetLevels(32, 210_000m, 170_000m), achievement.Actual);
        Assert.Equal(2, achievement.TierReached());
        Assert.Equal(3, achievement.TierReached(TargetMeasure.Units));
        Assert.Equal(0.8095m, achievement.ReceiptRate);
        Assert.Equal(new TierProgress(3, 1.0667m, 0.7m, 0.7083m), achievement.Tiers[2]);
    }

    [Fact]
    public void Commission_follows_the_tier_reached_and_the_configured_basis()
    {
        var target = DealerTarget.Annual(Guid.NewGuid(), Dealer(), 2026, Tier1, Tier2, Tier3, "channel-chen");
        var achievement = TargetAchievement.Measure(target, [new SaleFact(new DateOnly(2026, 6, 1), 25, 250_000m)], [new ReceiptFact(new DateOnly(2026, 7, 1), 200_000m)]);

        var onReceipts = new CommissionTierTable().Settle(achievement);
        var onSalesUnitsOnly = new CommissionTierTable { Counts = TargetMeasure.Units, Basis = CommissionBasis.SalesAmount, Tier2Rate = 0.025m }.Settle(achievement);

        Assert.Equal(new Commission(2, 0.02m, 200_000m, 4_000m), onReceipts);
        Assert.Equal(new Commission(2, 0.025m, 250_000m, 6_250m), onSalesUnitsOnly);
        Assert.Throws<DomainRuleViolation>(() => new CommissionTierTable { Tier2Rate = 0.005m }.Settle(achievement));
    }

    [Fact]
    public void Achievement_comes_from_the_dealers_approved_orders_and_their_receipts()
    {
        var dealer = Dealer();
        var placedAt = new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(8));
        Order Approved(string customerCode, int units)
        {
            var order = Order.Place(Guid.NewGuid(), customerCode, "sales-li", [new OrderItem("TRUCK-BOX", null, units, 1_000m, 0m)], null, "mobile", placedAt);
            order.SubmitForApproval(new OrderApprovalPolicy { Threshold = 1_000_000m }, new StateChangeCause("order-saga", placedAt));
            return order;
        }
        var counted = Approved(dealer.Code, 3);
        counted.IssueInvoice(Guid.NewGuid(), "INV-1", 3_000m, placedAt);
        counted.RecordReceipt(Guid.NewGuid(), 1_000m, new DateOnly(2026, 4, 2));
        var cancelled = Approved(dealer.Code, 5);
        cancelled.Cancel("dealer changed plans", new StateChangeCause("sales-li", placedAt));
        var otherDealer = Approved("D-99", 7);

        var sales = DealerActivity.SalesFrom([counted, cancelled, otherDealer], dealer.Code);
        var receipts = DealerActivity.ReceiptsFrom([counted, cancelled, otherDealer], dealer.Code);

        Assert.Equal([new SaleFact(new DateOnly(2026, 3, 31), 3, 3_000m)], sales);
        Assert.Equal([new ReceiptFact(new DateOnly(2026, 4, 2), 1_000m)], receipts);
    }

    [Fact]
    public void More_achievement_never_lowers_the_tier_or_the_commission()
    {
        var target = DealerTarget.Annual(Guid.NewGuid(), Dealer(), 2026, Tier1, Tier2, Tier3, "channel-chen");
        var table = new CommissionTierTable { BelowTargetRate = 0.005m };
        Property.ForAll(seed: 21, cases: 500, random =>
        {
            SaleFact Sale() => new(new DateOnly(2026, random.Next(1, 13), random.Next(1, 28)), random.Next(0, 8), random.Cents(60_000m));
            ReceiptFact Receipt() => new(new DateOnly(2026, random.Next(1, 13), random.Next(1, 28)), random.Cents(50_000m));
            var sales = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Sale()).ToList();
            var receipts = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Receipt()).ToList();
            var before = TargetAchievement.Measure(target, sales, receipts);
            sales.Add(Sale());
            receipts.Add(Receipt());
            var after = TargetAchievement.Measure(target, sales, receipts);

            Assert.True(after.Actual.AtLeast(before.Actual));
            Assert.True(after.TierReached() >= before.TierReached());
            Assert.True(table.Settle(after).Amount >= table.Settle(before).Amount);
            Assert.InRange(after.TierReached(), 0, 3);
        });
    }

    [Fact]
    public void Annual_achievement_is_the_sum_of_the_twelve_monthly_achievements()
    {
        var dealer = Dealer();
        var annual = DealerTarget.Annual(Guid.NewGuid(), dealer, 2026, Tier1, Tier2, Tier3, "channel-chen");
        var months = Enumerable.Range(1, 12).Select(m => DealerTarget.Monthly(Guid.NewGuid(), dealer, 2026, m, Tier1, Tier2, Tier3, "channel-chen")).ToArray();
        Property.ForAll(seed: 22, cases: 200, random =>
        {
            var start = new DateOnly(2025, 12, 1);
            var sales = Enumerable.Range(0, random.Next(0, 30)).Select(_ => new SaleFact(start.AddDays(random.Next(0, 430)), random.Next(0, 5), random.Cents(9_999m))).ToArray();
            var receipts = Enumerable.Range(0, random.Next(0, 30)).Select(_ => new ReceiptFact(start.AddDays(random.Next(0, 430)), random.Cents(9_999m))).ToArray();

            var whole = TargetAchievement.Measure(annual, sales, receipts).Actual;
            var parts = months.Select(m => TargetAchievement.Measure(m, sales, receipts).Actual).ToArray();

            Assert.Equal(whole, new TargetLevels(parts.Sum(p => p.Units), parts.Sum(p => p.SalesAmount), parts.Sum(p => p.Receipts)));
        });
    }
}
