using Crm.Contracts.Customers;
using Crm.Contracts.Dealers;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Infrastructure;
using Hub.Tests.Access;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Dealers;

/// <summary>
/// Agency contracts expire after their last day and their owner is reminded before it, once each, however often and however
/// concurrently the term check runs; the endpoint's own timer runs it for the day of the hub's clock.
/// </summary>
public sealed class AgencyContractTermTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly DateOnly LastDay = new(2027, 3, 31);
    private EndpointsHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointsHarness.StartAsync(new Dictionary<string, string?> { ["Dealers:Contracts:RemindDaysBefore"] = "30" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    /// <summary>A dealer of region central owned by sales-li, with an agency contract signed and in force until <see cref="LastDay"/>.</summary>
    internal static async Task<(Guid Dealer, Guid Contract)> ActiveContract(EndpointsHarness hub)
    {
        var dealer = Guid.NewGuid();
        Assert.IsType<CustomerCommandAccepted>(await hub.Send<RegisterCustomer, CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(
            Guid.NewGuid(), dealer, new CustomerProfileData(DealerEndpointTests.Code(), "顺达经销", "Dealer", Region: "central"), "sales-li", null, "sales-li")));
        var contract = Guid.NewGuid();
        async Task<long> Ask<T>(T command) where T : class =>
            (await hub.Send<T, DealerCommandAccepted, DealerCommandRejected>(command) as DealerCommandAccepted
             ?? throw new Xunit.Sdk.XunitException($"{typeof(T).Name} refused")).Version;
        var v = await Ask(new DraftAgencyContract(Guid.NewGuid(), contract, dealer, "Hubei", new DateOnly(2026, 4, 1), LastDay, "agency", null, "sales-li"));
        v = await Ask(new SubmitAgencyContract(Guid.NewGuid(), contract, ["mgr-chen"], v, "sales-li"));
        v = await Ask(new ApproveAgencyContract(Guid.NewGuid(), contract, "manager", "central", v, "mgr-chen"));
        await Ask(new SignAgencyContract(Guid.NewGuid(), contract, new DateOnly(2026, 3, 28), v, "sales-li"));
        return (dealer, contract);
    }

    private async Task Check(params DateOnly[] days)
    {
        var endpoint = await _hub.Harness.Bus.GetSendEndpoint(HubQueues.Address(HubQueues.Dealers));
        var ids = days.Select(_ => Guid.NewGuid()).ToArray();
        // Sent together, as several instances' timers would: the checks of one day race each other.
        await Task.WhenAll(days.Select((day, i) => endpoint.Send(new CheckAgencyContractsDue(day, DateTimeOffset.UtcNow), c => c.MessageId = ids[i])));
        await Eventually.Get(() => Task.FromResult(ids.Count(id => _hub.Harness.Consumed.Select<CheckAgencyContractsDue>()
                .Any(c => c.Context.MessageId == id && c.Exception is null))), n => n == ids.Length, Wait, "the checks done");
    }

    private Task<AgencyContract> Contract(Guid id) => _hub.Read(db => db.Set<AgencyContract>().AsNoTracking().SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Owner_is_reminded_once_within_the_days_before_the_last_day_and_the_contract_expires_once_the_day_after()
    {
        var (_, contract) = await ActiveContract(_hub);

        await Check(LastDay.AddDays(-31));
        Assert.False(await _hub.Harness.Published.Any<AgencyContractExpiring>(p => p.Context.Message.ContractId == contract));

        await Check(LastDay.AddDays(-30), LastDay.AddDays(-30), LastDay.AddDays(-29));
        var reminder = Assert.Single(_hub.Harness.Published.Select<AgencyContractExpiring>(p => p.Context.Message.ContractId == contract)).Context.Message;
        Assert.Equal((30, "sales-li", LastDay), (reminder.DaysLeft, reminder.OwnerUserId, reminder.ValidTo));

        await Check(LastDay);
        Assert.Equal(AgencyContractStatus.Active, (await Contract(contract)).Status);

        await Check(LastDay.AddDays(1), LastDay.AddDays(1), LastDay.AddDays(2));
        Assert.Equal(AgencyContractStatus.Expired, (await Contract(contract)).Status);
        var expired = Assert.Single(_hub.Harness.Published.Select<AgencyContractExpired>(p => p.Context.Message.ContractId == contract)).Context.Message;
        Assert.Equal(("sales-li", LastDay), (expired.OwnerUserId, expired.ValidTo));
        Assert.Single(_hub.Harness.Published.Select<AgencyContractStatusChanged>(p => p.Context.Message.ContractId == contract && p.Context.Message.Step == "Expired"));
        var steps = await _hub.Read(db => db.Set<AgencyContractStep>().AsNoTracking().Where(s => s.ContractId == contract).OrderBy(s => s.Sequence)
            .Select(s => s.Step).ToListAsync());
        Assert.Equal(["Drafted", "Submitted", "Approved", "Signed", "Expired"], steps);
        Assert.Single(_hub.Harness.Published.Select<AgencyContractExpiring>(p => p.Context.Message.ContractId == contract));
    }

    [Fact]
    public async Task A_contract_past_its_last_day_before_any_reminder_only_expires()
    {
        var (_, contract) = await ActiveContract(_hub);

        await Check(LastDay.AddDays(5));

        Assert.Equal(AgencyContractStatus.Expired, (await Contract(contract)).Status);
        Assert.False(await _hub.Harness.Published.Any<AgencyContractExpiring>(p => p.Context.Message.ContractId == contract));
    }
}

/// <summary>The endpoint's timer runs the term check by the hub's clock, with no one sending it: a hub whose clock stands past a contract's end expires it.</summary>
public sealed class AgencyContractTermTimerTests
{
    [Fact]
    public async Task Timer_expires_a_contract_once_the_hub_clock_is_past_its_last_day()
    {
        var clock = new AdjustableClock();
        await using var hub = await EndpointsHarness.StartAsync(new Dictionary<string, string?> { ["Dealers:Contracts:CheckInterval"] = "00:00:01" }, clock: clock);
        var (_, contract) = await AgencyContractTermTests.ActiveContract(hub);
        Assert.Equal(AgencyContractStatus.Active, await hub.Read(db => db.Set<AgencyContract>().Where(c => c.Id == contract).Select(c => c.Status).SingleAsync()));

        // The hub's clock moves to the morning after the last day (Shanghai time); the timer's next tick asks for that day.
        var morningAfter = new DateTimeOffset(2027, 4, 1, 9, 0, 0, TimeSpan.FromHours(8));
        clock.Offset = morningAfter - TimeProvider.System.GetUtcNow();

        await Eventually.Get(() => hub.Read(db => db.Set<AgencyContract>().Where(c => c.Id == contract).Select(c => c.Status).SingleAsync()),
            s => s == AgencyContractStatus.Expired, TimeSpan.FromSeconds(20), "the contract expired by the timer");
        var expired = Assert.Single(hub.Harness.Published.Select<AgencyContractExpired>(p => p.Context.Message.ContractId == contract)).Context.Message;
        Assert.Equal(morningAfter, expired.At, TimeSpan.FromMinutes(1));
    }
}
