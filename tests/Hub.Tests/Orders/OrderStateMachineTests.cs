using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Hub.Endpoints.Orders;
using Hub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Orders;

/// <summary>The order lifecycle saga on MassTransit's test harness: every path, duplicates, out-of-order events, deadlines.</summary>
public sealed class OrderStateMachineTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<OrderStateMachine, OrderState> _saga = null!;
    private OrderStateMachine _machine = null!;
    private readonly Guid _orderId = NewId.NextGuid();


    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddOptions<OrderLifecycleOptions>().Configure(o =>
            {
                o.FulfilmentDeadline = TimeSpan.FromMinutes(10);
                o.CompensationDeadline = TimeSpan.FromMinutes(10);
            }).Services
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<OrderStateMachine, OrderState>().InMemoryRepository();
                x.AddDelayedMessageScheduler();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(15);
        await _harness.Start();
        _saga = _harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
        _machine = _saga.StateMachine;
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private OrderPlaced Placed(string customer = "C1001") => new(_orderId, "SO" + _orderId.ToString("N")[..12].ToUpperInvariant(), customer,
        "sales-li", [new OrderLine("BB-100M", "FTTH", 1, 199m)], 199m, "li@example.com", DateTimeOffset.UtcNow);

    private async Task<OrderState> InState(State state)
    {
        var found = await _saga.Exists(_orderId, _ => state, _harness.TestTimeout);
        Assert.True(found.HasValue, $"order did not reach {state.Name}; it is {_saga.Sagas.ContainsInState(_orderId, _machine, _machine.Initial)?.CurrentState}");
        return _saga.Sagas.Contains(_orderId)!;
    }

    private Task Publish<T>(T message) where T : class => _harness.Bus.Publish(message);

    private int Count<T>() where T : class => _harness.Published.Select<T>().Count() + _harness.Sent.Select<T>().Count();

    [Fact]
    public async Task Placed_order_asks_erp_and_billing_in_parallel()
    {
        await Publish(Placed());

        var saga = await InState(_machine.Fulfilling);
        Assert.True(await _harness.Sent.Any<CreateErpSalesOrder>(m => m.Context.Message.OrderId == _orderId));
        Assert.True(await _harness.Sent.Any<CreateBillingCharge>(m => m.Context.Message.OrderId == _orderId && m.Context.Message.Amount == 199m));
        Assert.True(await _harness.Published.Any<OrderStatusChanged>(m => m.Context.Message.Status == "Fulfilling"));
        Assert.NotNull(saga.DeadlineTokenId);
    }

    [Fact]
    public async Task Order_completes_when_erp_and_billing_both_succeed()
    {
        await Publish(Placed());
        await InState(_machine.Fulfilling);
        await Publish(new ErpSalesOrderCreated(_orderId, "ERP-1"));
        await Publish(new BillingChargeCreated(_orderId, "CH-1"));

        var saga = await InState(_machine.Completed);
        Assert.Equal(("ERP-1", "CH-1"), (saga.ErpSalesOrderNumber, saga.BillingChargeId));
        Assert.True(await _harness.Published.Any<OrderCompleted>(m => m.Context.Message.OrderId == _orderId
            && m.Context.Message.ErpSalesOrderNumber == "ERP-1" && m.Context.Message.BillingChargeId == "CH-1"));
    }

    [Fact]
    public async Task Order_completes_when_billing_answers_before_erp()
    {
        await Publish(Placed());
        await InState(_machine.Fulfilling);
        await Publish(new BillingChargeCreated(_orderId, "CH-1"));
        await _saga.Consumed.Any<BillingChargeCreated>();
        Assert.Equal(_machine.Fulfilling.Name, _saga.Sagas.Contains(_orderId)!.CurrentState);

        await Publish(new ErpSalesOrderCreated(_orderId, "ERP-1"));
        await InState(_machine.Completed);
    }

    [Fact]
    public async Task Duplicate_events_neither_break_nor_repeat_completion()
    {
        await Publish(Placed());
        await Publish(Placed());
        await InState(_machine.Fulfilling);
        await Publish(new ErpSalesOrderCreated(_orderId, "ERP-1"));
        await Publish(new ErpSalesOrderCreated(_orderId, "ERP-1"));
        await Publish(new BillingChargeCreated(_orderId, "CH-1"));
        await InState(_machine.Completed);
        await Publish(new BillingChargeCreated(_orderId, "CH-1"));
        await Publish(Placed());
        await _harness.InactivityTask;

        Assert.Equal(1, Count<CreateErpSalesOrder>());
        Assert.Equal(1, Count<CreateBillingCharge>());
        Assert.Equal(1, Count<OrderCompleted>());
        Assert.False(await _harness.Published.Any<Fault>());
        Assert.Equal(_machine.Completed.Name, _saga.Sagas.Contains(_orderId)!.CurrentState);
    }

    [Fact]
    public async Task Billing_refusal_cancels_the_erp_sales_order_and_fails_the_order()
    {
        await Publish(Placed());
        await InState(_machine.Fulfilling);
        await Publish(new ErpSalesOrderCreated(_orderId, "ERP-1"));
        await Publish(new BillingChargeRejected(_orderId, "insufficient credit"));

        await InState(_machine.Compensating);
        Assert.True(await _harness.Sent.Any<CancelErpSalesOrder>(m => m.Context.Message.OrderId == _orderId));
        Assert.False(await _harness.Sent.Any<ReverseBillingCharge>());

        await Publish(new ErpSalesOrderCancelled(_orderId));
        var saga = await InState(_machine.Failed);
        Assert.Contains("insufficient credit", saga.FailureReason);
        Assert.True(await _harness.Published.Any<OrderFailed>(m => m.Context.Message.Reason.Contains("insufficient credit")));
    }

    [Fact]
    public async Task Erp_unreachable_after_every_retry_reverses_the_charge()
    {
        await Publish(Placed());
        await InState(_machine.Fulfilling);
        await Publish(new BillingChargeCreated(_orderId, "CH-1"));
        var command = new CreateErpSalesOrder(_orderId, "SO1", "C1001", [], 199m);
        await _harness.Bus.Publish<Fault<CreateErpSalesOrder>>(new MassTransit.Events.FaultEvent<CreateErpSalesOrder>(command, NewId.NextGuid(),
            MassTransit.Metadata.HostMetadataCache.Host, new HttpRequestException("connection refused"), ["urn:message:Crm.Contracts.Erp:CreateErpSalesOrder"]));

        await InState(_machine.Compensating);
        Assert.True(await _harness.Sent.Any<ReverseBillingCharge>(m => m.Context.Message.OrderId == _orderId));
        await Publish(new BillingChargeReversed(_orderId));
        var saga = await InState(_machine.Failed);
        Assert.Contains("connection refused", saga.FailureReason);
    }

    [Fact]
    public async Task Charge_landing_after_the_order_failed_is_reversed()
    {
        await Publish(Placed("NOFUNDS-1"));
        await InState(_machine.Fulfilling);
        await Publish(new ErpSalesOrderRejected(_orderId, "customer blocked"));
        await InState(_machine.Compensating);
        // The reversal overtook the charge: nothing to reverse yet.
        await Publish(new BillingChargeReversed(_orderId));
        await InState(_machine.Failed);

        await Publish(new BillingChargeCreated(_orderId, "CH-LATE"));
        var reversals = await Eventually.Get(() => Task.FromResult(_harness.Sent.Select<ReverseBillingCharge>().Count(m => m.Context.Message.OrderId == _orderId)),
            n => n >= 2, TimeSpan.FromSeconds(15), "second reversal");
        Assert.Equal(2, reversals);
        Assert.Equal(_machine.Failed.Name, _saga.Sagas.Contains(_orderId)!.CurrentState);
    }
}

/// <summary>The deadline path needs a short deadline, so it has its own harness.</summary>
public sealed class OrderDeadlineTests
{
    [Fact]
    public async Task Missed_deadline_raises_an_alarm_and_compensates()
    {
        await using var provider = new ServiceCollection()
            .AddOptions<OrderLifecycleOptions>().Configure(o => o.FulfilmentDeadline = TimeSpan.FromSeconds(1)).Services
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<OrderStateMachine, OrderState>().InMemoryRepository();
                x.AddDelayedMessageScheduler();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        // The deadline fires after a second of silence; the harness must not call the bus idle before it.
        harness.TestInactivityTimeout = TimeSpan.FromSeconds(5);
        await harness.Start();
        var saga = harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
        var id = NewId.NextGuid();

        await harness.Bus.Publish(new OrderPlaced(id, "SO1", "C1001", "sales-li", [new OrderLine("BB", null, 1, 10m)], 10m, null, DateTimeOffset.UtcNow));
        await harness.Bus.Publish(new ErpSalesOrderCreated(id, "ERP-1"));

        Assert.True(await harness.Published.Any<OrderDeadlineExceeded>(m => m.Context.Message.OrderId == id && m.Context.Message.State == "Fulfilling"));
        Assert.True((await saga.Exists(id, m => m.Compensating, TimeSpan.FromSeconds(10))).HasValue);
        Assert.True(await harness.Sent.Any<CancelErpSalesOrder>(m => m.Context.Message.OrderId == id));
        Assert.True(await harness.Sent.Any<ReverseBillingCharge>(m => m.Context.Message.OrderId == id), "the pending charge is undone too");
        Assert.Contains("deadline", saga.Sagas.Contains(id)!.FailureReason);
    }
}
