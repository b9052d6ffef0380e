using Crm.Contracts.Customers;
using Crm.Contracts.Dealers;
using Crm.Contracts.Orders;
using Crm.Contracts.ServiceTickets;
using Crm.Domain.Dealers;
using Crm.Domain.Orders;
using Crm.Domain.ServiceTickets;
using Hub.CrmStore.Dealers;
using Hub.Endpoints.Dealers;
using Hub.Endpoints.Orders;
using Hub.Endpoints.ServiceTickets;
using Hub.Infrastructure;
using Hub.Persistence.History;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Customers;

/// <summary>
/// The stores of the Endpoints host follow a customer merge, each in its own consumer: service tickets, order sagas and dealer records
/// end under the survivor; a repeated merge event changes nothing more; two dealers with a target for one month are not merged.
/// </summary>
public sealed class CustomerMergeFollowTests : IAsyncLifetime
{
    private EndpointsHarness _hub = null!;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly DealerTargetLevels Levels = new(10, 100_000m, 80_000m);

    public async Task InitializeAsync() => _hub = await EndpointsHarness.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<(Guid Id, string Code)> Dealer()
    {
        var id = Guid.NewGuid();
        var code = Dealers.DealerEndpointTests.Code();
        Assert.IsType<CustomerCommandAccepted>(await _hub.Send<RegisterCustomer, CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(
            Guid.NewGuid(), id, new CustomerProfileData(code, "顺达改装车经销 " + code, "Dealer", Region: "central"), "sales-li", null, "sales-li")));
        return (id, code);
    }

    private async Task<long> Dealt<T>(T command) where T : class =>
        (await _hub.Send<T, DealerCommandAccepted, DealerCommandRejected>(command) as DealerCommandAccepted
         ?? throw new Xunit.Sdk.XunitException($"{typeof(T).Name} refused")).Version;

    private Task<object> Merge(Guid survivor, Guid duplicate) =>
        _hub.Send<MergeCustomers, CustomerCommandAccepted, CustomerCommandRejected>(new MergeCustomers(Guid.NewGuid(), survivor, duplicate, "sup-zhao"));

    [Fact]
    public async Task Tickets_order_sagas_and_dealer_records_of_the_duplicate_end_under_the_survivor_once()
    {
        var survivor = await Dealer();
        var duplicate = await Dealer();
        await Dealt(new RecordInspectionVisit(Guid.NewGuid(), Guid.NewGuid(), duplicate.Id, new DateOnly(2026, 3, 12),
            [new InspectionCriterionScore(InspectionVisit.Qualification, 1m, 80m)], null, "sales-li"));
        await Dealt(new RecordNegotiation(Guid.NewGuid(), Guid.NewGuid(), duplicate.Id, new DateOnly(2026, 3, 1), "王总", [], "Continuing", "sales-li"));
        var contract = Guid.NewGuid();
        await Dealt(new DraftAgencyContract(Guid.NewGuid(), contract, duplicate.Id, "Hubei", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31), "agency", null, "sales-li"));
        await Dealt(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), duplicate.Id, 2026, 5, Levels, Levels, Levels, null, "channel-chen"));
        await Dealt(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), survivor.Id, 2026, 6, Levels, Levels, Levels, null, "channel-chen"));
        var ticket = Guid.NewGuid();
        Assert.IsType<ServiceTicketDetails>(await _hub.Send<OpenServiceTicket, ServiceTicketDetails, ServiceTicketCommandRejected>(new OpenServiceTicket(ticket,
            duplicate.Id, duplicate.Code, null, "Phone", "Request", "Lift stays down", "Pump hums", null, null, false, "agent-07", DateTimeOffset.UtcNow)));
        var order = Guid.NewGuid();
        await _hub.Harness.Bus.Publish(new PlaceOrder(order, duplicate.Code, "sales-li", [new OrderLine("TL-2000", null, 2, 5_000m)], null, "mobile", DateTimeOffset.UtcNow));
        await Eventually.Get(() => _hub.Read(db => db.Set<OrderState>().AsNoTracking().AnyAsync(s => s.CorrelationId == order)), found => found, Wait, "the order's saga");
        await _hub.Harness.Bus.Publish(new OrderCompleted(order, "SO-X", duplicate.Code, "sales-li", "E1", "C1", 10_000m, null, DateTimeOffset.UtcNow));
        var source = order.ToString("N");
        await Eventually.Get(() => _hub.Read(db => db.Set<DealerAchievementEntry>().AsNoTracking().AnyAsync(e => e.Source == DealerLedger.OrderSource && e.SourceId == source)),
            found => found, Wait, "the ledger entry");

        Assert.IsType<CustomerCommandAccepted>(await Merge(survivor.Id, duplicate.Id));

        var event_ = (await Eventually.Get(() => Task.FromResult(_hub.Harness.Published.Select<CustomersMerged>().ToList()), p => p.Count == 1, Wait, "the merge event"))
            .Single().Context;
        var published = event_.Message;
        Assert.Equal([ticket], published.TicketIds);
        await Followed(event_.MessageId);
        Assert.All(await Under(duplicate), count => Assert.Equal(0, count));
        var moved = await Under(survivor);
        Assert.Equal([1, 1, 1, 2, 1, 1, 1, 1], moved);
        var history = await _hub.Read(db => ChangeHistory.Of<AgencyContract>(db, contract, CancellationToken.None));
        Assert.Equal(2, history.Count);
        Assert.Contains(survivor.Id.ToString(), history[^1].After);
        Assert.Contains(duplicate.Id.ToString(), history[^1].Before);
        var versions = await Versions(ticket, contract);

        // The same event again, as a redelivery or a second publish would bring it: nothing more changes.
        var again = Guid.NewGuid();
        await _hub.Harness.Bus.Publish(published, c => c.MessageId = again);
        await Followed(again);
        Assert.Equal(versions, await Versions(ticket, contract));
        Assert.Equal(moved, await Under(survivor));
        Assert.Equal(2, (await _hub.Read(db => ChangeHistory.Of<AgencyContract>(db, contract, CancellationToken.None))).Count);
    }

    [Fact]
    public async Task Two_dealers_with_a_target_for_the_same_month_are_not_merged_and_the_reason_names_the_month()
    {
        var survivor = await Dealer();
        var duplicate = await Dealer();
        await Dealt(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), duplicate.Id, 2026, 5, Levels, Levels, Levels, null, "channel-chen"));
        await Dealt(new SetDealerTarget(Guid.NewGuid(), Guid.NewGuid(), survivor.Id, 2026, 5, Levels, Levels, Levels, null, "channel-chen"));

        var refused = Assert.IsType<CustomerCommandRejected>(await Merge(survivor.Id, duplicate.Id));

        Assert.Contains("2026-05", Assert.Single(refused.Errors!["duplicateId"]));
        Assert.False(await _hub.Harness.Published.Any<CustomersMerged>());
        Assert.Equal(1, await _hub.Read(db => db.Set<DealerTarget>().CountAsync(t => t.DealerId == duplicate.Id)));
    }

    [Fact]
    public async Task An_order_placed_for_the_duplicate_after_the_merge_is_placed_for_the_survivor()
    {
        var survivor = await Dealer();
        var duplicate = await Dealer();
        Assert.IsType<CustomerCommandAccepted>(await Merge(survivor.Id, duplicate.Id));

        var order = Guid.NewGuid();
        await _hub.Harness.Bus.Publish(new PlaceOrder(order, duplicate.Code, "sales-li", [new OrderLine("TL-2000", null, 1, 5_000m)], null, "mobile", DateTimeOffset.UtcNow));

        var placed = await Eventually.Get(() => _hub.Read(db => db.Set<Order>().AsNoTracking().Where(o => o.Id == order).Select(o => o.CustomerCode).FirstOrDefaultAsync()),
            code => code is not null, Wait, "the order stored");
        Assert.Equal(survivor.Code, placed);
        Assert.True(await _hub.Harness.Published.Any<OrderPlaced>(p => p.Context.Message.OrderId == order && p.Context.Message.CustomerCode == survivor.Code));
    }

    [Fact]
    public async Task A_dealer_is_not_merged_into_a_customer_that_is_no_dealer()
    {
        var duplicate = await Dealer();
        await Dealt(new RecordNegotiation(Guid.NewGuid(), Guid.NewGuid(), duplicate.Id, new DateOnly(2026, 3, 1), "王总", [], "Continuing", "sales-li"));
        var direct = Guid.NewGuid();
        Assert.IsType<CustomerCommandAccepted>(await _hub.Send<RegisterCustomer, CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(
            Guid.NewGuid(), direct, new CustomerProfileData(Dealers.DealerEndpointTests.Code("C"), "华信", "Direct"), "sales-li", null, "sales-li")));

        var refused = Assert.IsType<CustomerCommandRejected>(await Merge(direct, duplicate.Id));

        Assert.Contains("survivorId", refused.Errors!.Keys);
    }

    /// <summary>Waits until each of the three stores' followers has consumed merge message <paramref name="messageId"/>.</summary>
    private Task Followed(Guid? messageId) => Eventually.Get(() => Task.FromResult(new[]
        {
            _hub.Harness.GetConsumerHarness<ServiceTicketMergeConsumer>().Consumed.Select<CustomersMerged>().Any(c => c.Context.MessageId == messageId && c.Exception is null),
            _hub.Harness.GetConsumerHarness<OrderMergeConsumer>().Consumed.Select<CustomersMerged>().Any(c => c.Context.MessageId == messageId && c.Exception is null),
            _hub.Harness.GetConsumerHarness<DealerMergeConsumer>().Consumed.Select<CustomersMerged>().Any(c => c.Context.MessageId == messageId && c.Exception is null),
        }), done => done.All(d => d), Wait, $"merge message {messageId} followed by every store");

    /// <summary>Tickets, order sagas, visits, targets, negotiations, contracts, ledger entries and orders of a customer.</summary>
    private Task<int[]> Under((Guid Id, string Code) customer) => _hub.Read(async db => new[]
    {
        await db.Set<ServiceTicket>().CountAsync(t => t.CustomerId == customer.Id && EF.Property<string>(t, "CustomerCode") == customer.Code),
        await db.Set<OrderState>().CountAsync(s => s.CustomerCode == customer.Code),
        await db.Set<InspectionVisit>().CountAsync(v => v.DealerId == customer.Id),
        await db.Set<DealerTarget>().CountAsync(t => t.DealerId == customer.Id),
        await db.Set<NegotiationRecord>().CountAsync(n => n.DealerId == customer.Id),
        await db.Set<AgencyContract>().CountAsync(c => c.DealerId == customer.Id),
        await db.Set<DealerAchievementEntry>().CountAsync(e => e.DealerId == customer.Id && e.DealerCode == customer.Code),
        await db.Set<Order>().CountAsync(o => o.CustomerCode == customer.Code),
    });

    private Task<long[]> Versions(Guid ticket, Guid contract) => _hub.Read(async db => new[]
    {
        await db.Set<ServiceTicket>().Where(t => t.Id == ticket).Select(t => EF.Property<long>(t, "Version")).SingleAsync(),
        await db.Set<AgencyContract>().Where(c => c.Id == contract).Select(c => EF.Property<long>(c, "Version")).SingleAsync(),
    });
}
