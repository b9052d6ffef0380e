using Crm.Contracts.Billing;
using Crm.Contracts.Customers;
using Crm.Contracts.Dealers;
using Crm.Contracts.Erp;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Endpoints.Dealers;
using Hub.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Dealers;

/// <summary>The dealers endpoint on the test harness over a real SQLite store: records, the contract's approval, the ledger, the pace check.</summary>
public sealed class DealerEndpointTests : IAsyncLifetime
{
    private EndpointsHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointsHarness.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    internal static string Code(string prefix = "D") => prefix + "-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private async Task<(Guid Id, string Code)> Dealer(string region = "east", string kind = "Dealer", string owner = "sales-li", EndpointsHarness? on = null)
    {
        var id = Guid.NewGuid();
        var code = Code();
        var answer = await (on ?? _hub).Send<RegisterCustomer, CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(Guid.NewGuid(), id,
            new CustomerProfileData(code, "武汉顺达改装车经销有限公司 " + code, kind, Region: region), owner, null, owner));
        Assert.IsType<CustomerCommandAccepted>(answer);
        return (id, code);
    }

    private Task<object> Ask<T>(T command) where T : class => _hub.Send<T, DealerCommandAccepted, DealerCommandRejected>(command);

    private static DealerCommandAccepted Accepted(object answer) => answer as DealerCommandAccepted
        ?? throw new Xunit.Sdk.XunitException($"refused: {System.Text.Json.JsonSerializer.Serialize(answer)}");

    private static DealerCommandRejected Rejected(object answer) => Assert.IsType<DealerCommandRejected>(answer);

    [Fact]
    public async Task Inspection_visit_is_recorded_with_its_weighted_score_once_however_often_the_command_comes()
    {
        var dealer = await Dealer();
        var command = new RecordInspectionVisit(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, new DateOnly(2026, 3, 12),
        [
            new InspectionCriterionScore(InspectionVisit.Qualification, 0.4m, 90m), new InspectionCriterionScore(InspectionVisit.Assets, 0.3m, 70m),
            new InspectionCriterionScore(InspectionVisit.Experience, 0.2m, 80m), new InspectionCriterionScore(InspectionVisit.Premises, 0.1m, 60m),
        ], "Workshop of 2,000 m²", "sales-li");

        var first = Accepted(await Ask(command));
        var again = Accepted(await Ask(command));

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        var visits = await _hub.Read(db => db.Set<InspectionVisit>().AsNoTracking().Where(v => v.DealerId == dealer.Id).ToListAsync());
        var visit = Assert.Single(visits);
        Assert.Equal(79m, visit.WeightedTotal);
        Assert.Equal(4, visit.Scores.Count);
        Assert.True(await _hub.Harness.Published.Any<InspectionVisitRecorded>(p => p.Context.Message.VisitId == command.VisitId));
    }

    [Fact]
    public async Task Broken_rules_come_back_with_field_errors_and_a_customer_that_is_no_dealer_is_refused()
    {
        var dealer = await Dealer();
        var direct = await Dealer(kind: "Direct");

        var badVisit = Rejected(await Ask(new RecordInspectionVisit(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, new DateOnly(2026, 3, 12),
            [new InspectionCriterionScore("assets", 0.5m, 120m)], null, "sales-li")));
        var notDealer = Rejected(await Ask(new RecordNegotiation(Guid.NewGuid(), Guid.NewGuid(), direct.Id, new DateOnly(2026, 3, 1), "王总, 李经理", [],
            "Continuing", "sales-li")));
        var missing = Rejected(await Ask(new RecordNegotiation(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 3, 1), "王总", [],
            "Continuing", "sales-li")));

        Assert.Equal(DealerCommandRejected.Invalid, badVisit.Reason);
        Assert.Contains("scores[0].score", badVisit.Errors.Keys);
        Assert.Contains("scores", badVisit.Errors.Keys);
        Assert.Contains("dealerId", notDealer.Errors.Keys);
        Assert.Equal(DealerCommandRejected.NotFound, missing.Reason);
    }

    [Fact]
    public async Task Agency_contract_is_approved_only_by_a_manager_of_the_dealers_region_who_did_not_submit_it()
    {
        var dealer = await Dealer(region: "central");
        var negotiation = Guid.NewGuid();
        Accepted(await Ask(new RecordNegotiation(Guid.NewGuid(), negotiation, dealer.Id, new DateOnly(2026, 2, 20), "王总, 李经理",
            [new NegotiatedTermData("territory", "Hubei province"), new NegotiatedTermData("commission", "tiered 1/2/3 %")], "Agreed", "sales-li")));
        var contract = Guid.NewGuid();
        var drafted = Accepted(await Ask(new DraftAgencyContract(Guid.NewGuid(), contract, dealer.Id, "Hubei", new DateOnly(2026, 4, 1),
            new DateOnly(2027, 3, 31), "Exclusive agency for tail lifts; commission per the tier table", negotiation, "sales-li")));
        var submitted = Accepted(await Ask(new SubmitAgencyContract(Guid.NewGuid(), contract, ["mgr-chen", "mgr-liu"], drafted.Version, "mgr-zhou")));

        var bySubmitter = Rejected(await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "central", submitted.Version, "mgr-zhou")));
        var bySalesperson = Rejected(await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "salesperson", "central", submitted.Version, "sales-li")));
        var byOtherRegion = Rejected(await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "east", submitted.Version, "mgr-wu")));
        var stale = Rejected(await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "central", drafted.Version, "mgr-chen")));
        var approved = Accepted(await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "central", submitted.Version, "mgr-chen")));
        var signed = Accepted(await Ask(new SignAgencyContract(Guid.NewGuid(), contract, new DateOnly(2026, 3, 28), approved.Version, "sales-li")));

        Assert.Contains("whoever submitted", string.Join(" ", bySubmitter.Errors["approverId"]));
        Assert.Contains("only a manager decides", string.Join(" ", bySalesperson.Errors["approverId"]));
        Assert.Contains("region", string.Join(" ", byOtherRegion.Errors["approverId"]));
        Assert.Equal(DealerCommandRejected.VersionMismatch, stale.Reason);
        Assert.Equal(4, signed.Version);
        var (stored, steps) = await _hub.Read(async db => (
            await db.Set<AgencyContract>().AsNoTracking().SingleAsync(c => c.Id == contract),
            await db.Set<AgencyContractStep>().AsNoTracking().Where(s => s.ContractId == contract).OrderBy(s => s.Sequence).ToListAsync()));
        Assert.Equal((AgencyContractStatus.Active, "mgr-chen", "mgr-zhou"), (stored.Status, stored.ApproverId, stored.SubmittedBy));
        Assert.Equal(["Drafted", "Submitted", "Approved", "Signed"], steps.Select(s => s.Step));
        Assert.Equal([null, "Draft", "Submitted", "Approved"], steps.Select(s => s.FromStatus));
        Assert.True(await _hub.Harness.Published.Any<ApprovalRequested>(p => p.Context.Message.Subject == stored.Number && p.Context.Message.ApproverUserId == "mgr-liu"));
    }

    [Fact]
    public async Task A_rejected_contract_is_revised_and_submitted_again_and_the_reason_is_kept_in_its_history()
    {
        var dealer = await Dealer(region: "central");
        var contract = Guid.NewGuid();
        var v1 = Accepted(await Ask(new DraftAgencyContract(Guid.NewGuid(), contract, dealer.Id, "Hubei", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31),
            "Exclusive agency", null, "sales-li"))).Version;
        var v2 = Accepted(await Ask(new SubmitAgencyContract(Guid.NewGuid(), contract, ["mgr-chen"], v1, "sales-li"))).Version;
        var v3 = Accepted(await Ask(new RejectAgencyContract(Guid.NewGuid(), contract, "Territory overlaps Wuhan Jiada", "manager", "central", v2, "mgr-chen"))).Version;
        var v4 = Accepted(await Ask(new ReviseAgencyContract(Guid.NewGuid(), contract, "Hubei without Wuhan", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31),
            "Exclusive agency outside Wuhan", v3, "sales-li"))).Version;
        Accepted(await Ask(new SubmitAgencyContract(Guid.NewGuid(), contract, ["mgr-chen"], v4, "sales-li")));

        var steps = await _hub.Read(db => db.Set<AgencyContractStep>().AsNoTracking().Where(s => s.ContractId == contract).OrderBy(s => s.Sequence).ToListAsync());
        Assert.Equal(["Drafted", "Submitted", "Rejected", "Revised", "Submitted"], steps.Select(s => s.Step));
        Assert.Equal("Territory overlaps Wuhan Jiada", steps[2].Reason);
    }

    [Fact]
    public async Task Setting_a_target_again_revises_the_periods_target_and_a_stale_version_is_refused()
    {
        var dealer = await Dealer();
        var levels = new DealerTargetLevels(10, 100_000m, 80_000m);
        var first = Accepted(await Ask(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, 2026, 5, levels, levels, levels, null, "channel-chen")));
        var revised = Accepted(await Ask(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, 2026, 5, levels, levels with { Units = 20 },
            levels with { Units = 30 }, first.Version, "channel-chen")));
        var stale = Rejected(await Ask(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, 2026, 5, levels, levels, levels, first.Version, "channel-chen")));
        var decreasing = Rejected(await Ask(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, 2026, null, levels, levels with { Units = 5 }, levels,
            null, "channel-chen")));

        Assert.Equal(first.EntityId, revised.EntityId);
        Assert.Equal(2, revised.Version);
        Assert.Equal(DealerCommandRejected.VersionMismatch, stale.Reason);
        Assert.Contains("tier2", decreasing.Errors.Keys);
    }

    [Fact]
    public async Task Completed_orders_and_receipts_count_once_in_the_ledger_even_when_delivered_twice()
    {
        var dealer = await Dealer();
        var direct = await Dealer(kind: "Direct");
        var order = await PlaceOrder(dealer.Code, [new OrderLine("TL-2000", "1.5t", 3, 20_000m), new OrderLine("TL-KIT", null, 2, 1_500m)]);
        var other = await PlaceOrder(direct.Code, [new OrderLine("TL-2000", "1.5t", 1, 20_000m)]);

        var completed = new OrderCompleted(order.Id, order.Number, dealer.Code, "sales-li", "SO-1", "CH-1", 63_000m, null, DateTimeOffset.UtcNow);
        var receipt = new PaymentReceived(Guid.NewGuid(), order.Id, order.Number, 30_000m, new DateOnly(2026, 4, 2));
        // Each published twice under different message ids, as a republishing saga or a replaying ERP would.
        for (var i = 0; i < 2; i++)
        {
            await _hub.Harness.Bus.Publish(completed);
            await _hub.Harness.Bus.Publish(receipt);
            await _hub.Harness.Bus.Publish(new OrderCompleted(other.Id, other.Number, direct.Code, "sales-li", "SO-2", "CH-2", 20_000m, null, DateTimeOffset.UtcNow));
        }
        var ledger = _hub.Harness.GetConsumerHarness<DealerAchievementConsumer>();
        await Eventually.Get(() => Task.FromResult(ledger.Consumed.Select<OrderCompleted>().Count() + ledger.Consumed.Select<PaymentReceived>().Count()),
            n => n >= 6, Wait, "every delivery consumed");

        var entries = await _hub.Read(db => db.Set<DealerAchievementEntry>().AsNoTracking().Where(e => e.DealerCode == dealer.Code || e.DealerCode == direct.Code)
            .OrderBy(e => e.Source).ToListAsync());
        Assert.Equal(2, entries.Count);
        var (erp, sale) = (entries[0], entries[1]);
        Assert.Equal((DealerLedger.OrderSource, 5, 63_000m, 0m), (sale.Source, sale.Units, sale.SalesAmount, sale.Receipts));
        Assert.Equal((DealerLedger.ErpReceiptSource, 30_000m, new DateOnly(2026, 4, 2)), (erp.Source, erp.Receipts, erp.On));
        Assert.Equal(dealer.Id, sale.DealerId);
    }

    [Fact]
    public async Task Billing_payments_the_order_took_count_once_when_configured_and_not_at_all_by_default()
    {
        await using var counting = await EndpointsHarness.StartAsync(new Dictionary<string, string?> { ["Dealers:CountBillingPayments"] = "true" });
        foreach (var (hub, counted) in new[] { (counting, 1), (_hub, 0) })
        {
            var dealer = await Dealer(on: hub);
            var order = await PlaceOrder(dealer.Code, [new OrderLine("TL-2000", null, 1, 20_000m)], hub);
            await Eventually.Get(() => hub.Read(db => db.Set<Crm.Domain.Orders.Order>().AsNoTracking().Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()),
                s => s == "Fulfilling", Wait, "the order fulfilling");
            // Receipts stay within what is invoiced: the ERP invoices the order first.
            await hub.Harness.Bus.Publish(new RecordErpInvoice(Guid.NewGuid(), "erp-a", "INV-" + order.Number, order.Number, "FP-1", 20_000m, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
            await Eventually.Get(() => Task.FromResult(hub.Harness.Published.Select<OrderInvoiced>().Count(p => p.Context.Message.OrderId == order.Id)),
                n => n == 1, Wait, "the order invoiced");
            var payment = new BillingPaymentReceived(order.Id, "CH-7", 20_000m, "CNY", "evt_" + Guid.NewGuid().ToString("N"), new DateTimeOffset(2026, 4, 30, 17, 0, 0, TimeSpan.Zero));
            await hub.Harness.Bus.Publish(payment);
            await hub.Harness.Bus.Publish(payment);
            var ledger = hub.Harness.GetConsumerHarness<DealerAchievementConsumer>();
            await Eventually.Get(() => Task.FromResult(ledger.Consumed.Select<PaymentReceived>().Count(c => c.Context.Message.OrderId == order.Id)),
                n => n >= 1, Wait, "the order's receipt consumed");
            await hub.Harness.InactivityTask;

            Assert.Single(hub.Harness.Published.Select<PaymentReceived>(), p => p.Context.Message.OrderId == order.Id);
            var entries = await hub.Read(db => db.Set<DealerAchievementEntry>().AsNoTracking().Where(e => e.DealerId == dealer.Id).ToListAsync());
            Assert.Equal(counted, entries.Count);
            // 17:00 UTC on 30 April is 1 May in Shanghai: the company's day counts.
            Assert.All(entries, e => Assert.Equal((DealerLedger.BillingPaymentSource, 20_000m, new DateOnly(2026, 5, 1)), (e.Source, e.Receipts, e.On)));
        }
    }

    [Fact]
    public async Task A_dealer_behind_its_monthly_pace_is_reported_once_for_the_month()
    {
        var behind = await Dealer();
        var onPace = await Dealer();
        var levels = new DealerTargetLevels(30, 300_000m, 150_000m);
        foreach (var dealer in new[] { behind, onPace })
            Accepted(await Ask(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), dealer.Id, 2026, 4, levels, levels, levels, null, "channel-chen")));
        await _hub.Read(async db =>
        {
            // 20 April: two thirds of the month; onPace has all of it, behind only a third.
            foreach (var (dealer, share) in new[] { (onPace, 1m), (behind, 0.3m) })
                db.Add(new DealerAchievementEntry
                {
                    Id = Guid.NewGuid(), Source = DealerLedger.OrderSource, SourceId = Guid.NewGuid().ToString("N"), DealerId = dealer.Id, DealerCode = dealer.Code,
                    On = new DateOnly(2026, 4, 8), Year = 2026, Month = 4, Units = (int)(30 * share), SalesAmount = 300_000m * share, Receipts = 150_000m * share,
                    Reference = "O-1", RecordedAt = DateTime.UtcNow,
                });
            return await db.SaveChangesAsync();
        });

        var dealers = await Eventually.Get(async () =>
        {
            await (await _hub.Harness.Bus.GetSendEndpoint(HubQueues.Address(HubQueues.Dealers))).Send(new EvaluateDealerPace(new DateOnly(2026, 4, 20), DateTimeOffset.UtcNow));
            return _hub.Harness.Published.Select<DealerFellBehindTarget>().Select(p => p.Context.Message).Where(m => m.Month == "2026-04").ToArray();
        }, found => found.Length > 0, Wait, "the alert");
        await (await _hub.Harness.Bus.GetSendEndpoint(HubQueues.Address(HubQueues.Dealers))).Send(new EvaluateDealerPace(new DateOnly(2026, 4, 21), DateTimeOffset.UtcNow));
        await Eventually.Get(() => Task.FromResult(_hub.Harness.Consumed.Select<EvaluateDealerPace>().Count(c => c.Context.Message.On.Day == 21)), n => n > 0, Wait, "the second check");

        var alerts = _hub.Harness.Published.Select<DealerFellBehindTarget>().Select(p => p.Context.Message).Where(m => m.DealerCode == behind.Code || m.DealerCode == onPace.Code).ToArray();
        var alert = Assert.Single(alerts);
        Assert.Equal((behind.Code, "Units", "sales-li"), (alert.DealerCode, alert.Metric, alert.AccountManagerUserId));
        Assert.Equal((20m, 9m), (alert.Target, alert.Actual));
        Assert.Equal(alerts, dealers.Where(m => m.DealerCode == behind.Code || m.DealerCode == onPace.Code));
    }

    private async Task<(Guid Id, string Number)> PlaceOrder(string customerCode, OrderLine[] lines, EndpointsHarness? on = null)
    {
        var id = Guid.NewGuid();
        var hub = on ?? _hub;
        await (await hub.Harness.Bus.GetSendEndpoint(HubQueues.Address(HubQueues.Orders)))
            .Send(new PlaceOrder(id, customerCode, "sales-li", lines, null, "mobile", DateTimeOffset.UtcNow));
        return await Eventually.Get(() => hub.Read(db => db.Set<Crm.Domain.Orders.Order>().AsNoTracking().Where(o => o.Id == id)
            .Select(o => new ValueTuple<Guid, string>(o.Id, o.Number)).FirstOrDefaultAsync()), o => o.Item1 == id, Wait, "the stored order");
    }
}
