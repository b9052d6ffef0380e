using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Endpoints.Orders;
using Hub.Persistence.Tests.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Orders;

/// <summary>
/// The Endpoints host's order intake and order saga on the test harness over a real store (<see cref="EndpointsHarness"/>): places
/// orders as the REST route does, plays the partners (billing, ERP) by publishing their answers, and reads the order and its saga
/// back from the store with bounded polling.
/// </summary>
internal sealed class OrderFlow : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private OrderFlow(EndpointsHarness endpoints) => Endpoints = endpoints;

    public EndpointsHarness Endpoints { get; }

    public ITestHarness Harness => Endpoints.Harness;

    public static async Task<OrderFlow> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null) =>
        new(await EndpointsHarness.StartAsync(settings, database));

    /// <summary>Two main products: a broadband line (2 × 99.5) and an IPTV box (1 × 300, 10 % off): 469 in all.</summary>
    public static OrderLine[] TwoProducts => [new("BB-100M", "FTTH", 2, 99.5m), new("IPTV-BOX", "4K", 1, 300m, 0.1m)];

    public async Task<Guid> Place(IReadOnlyList<OrderLine>? lines = null, string owner = "sales-li", string customer = "C1001")
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new PlaceOrder(id, customer, owner, lines ?? TwoProducts, "li@example.com", "mobile", DateTimeOffset.UtcNow));
        return id;
    }

    public Task<Order> Order(Guid id) => Endpoints.Read(db => db.Set<Order>().AsNoTracking()
        .Include(o => o.WorkOrders).Include(o => o.ProductInstances).Include(o => o.Shipments).AsSplitQuery().SingleAsync(o => o.Id == id));

    public Task<OrderState?> Saga(Guid id) => Endpoints.Read(db => db.Set<OrderState>().AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == id));

    /// <summary>Waits until the order (and its saga) reached <paramref name="status"/>.</summary>
    public async Task<Order> InStatus(Guid id, string status)
    {
        await Eventually.Get(async () => (await Saga(id))?.CurrentState, s => s == status, Wait, $"order saga in {status}");
        return await Order(id);
    }

    /// <summary>The work orders once the order was decomposed, by line.</summary>
    public async Task<WorkOrder[]> WorkOrders(Guid id)
    {
        await InStatus(id, OrderStatus.Fulfilling);
        return (await Order(id)).WorkOrders.OrderBy(w => w.LineIndex).ToArray();
    }

    public Task Publish<T>(T message) where T : class => Harness.Bus.Publish(message);

    public Task Charged(Guid id, WorkOrder workOrder, string chargeId, decimal? amount = null) =>
        Publish(new BillingChargeCreated(id, chargeId, workOrder.Id, amount));

    public Task Provisioned(Guid id, WorkOrder workOrder, string provisioningId) =>
        Publish(new ErpResourcesProvisioned(workOrder.Id, id, provisioningId));

    /// <summary>Both partners confirm every work order with the amount asked.</summary>
    public async Task FulfilEvery(Guid id)
    {
        var order = await Order(id);
        foreach (var w in order.WorkOrders.OrderBy(w => w.LineIndex))
        {
            await Charged(id, w, $"CH-{w.LineIndex + 1}", order.Items[w.LineIndex].Amount);
            await Provisioned(id, w, $"PRV-{w.LineIndex + 1}");
        }
    }

    /// <summary>Sends a command to the order saga as the REST routes do, and returns its answer.</summary>
    public async Task<object> Ask<T>(T command) where T : class =>
        (await Harness.GetRequestClient<T>().GetResponse<OrderDetails, OrderCommandRejected, OrderNotFound>(command)).Message;

    /// <summary>Messages of <typeparamref name="T"/> sent or published so far that match.</summary>
    public T[] Seen<T>(Func<T, bool>? match = null) where T : class =>
        Harness.Sent.Select<T>().Select(m => m.Context.Message)
            .Concat(Harness.Published.Select<T>().Select(m => m.Context.Message))
            .Where(m => match?.Invoke(m) ?? true).ToArray();

    /// <summary>Waits until at least <paramref name="count"/> such messages were sent or published.</summary>
    public Task<T[]> AtLeast<T>(int count, Func<T, bool>? match = null) where T : class =>
        Eventually.Get(() => Task.FromResult(Seen(match)), m => m.Length >= count, Wait, $"{count} × {typeof(T).Name}");

    public ValueTask DisposeAsync() => Endpoints.DisposeAsync();
}
