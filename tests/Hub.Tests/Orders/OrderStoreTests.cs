using Crm.Contracts.Erp;
using Crm.Domain.Orders;
using Hub.Persistence.Tests.Infrastructure;
using Hub.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Hub.Tests.Orders;

/// <summary>
/// The whole order aggregate and its saga survive a restart of the Endpoints host, on SQLite and on PostgreSQL: status, history,
/// approval, work orders, audit, product instances and the commerce records; and the lifecycle goes on where it stopped.
/// </summary>
public sealed class OrderStoreTests
{
    [Fact]
    public Task Order_lifecycle_survives_a_restart_on_sqlite() => SurvivesRestart(StoreKind.Sqlite);

    [PostgresFact]
    public Task Order_lifecycle_survives_a_restart_on_postgresql() => SurvivesRestart(StoreKind.Postgres);

    [Fact]
    public Task Two_commercial_changes_of_one_order_at_once_never_overwrite_each_other_on_sqlite() => CommercialChangesConflict(StoreKind.Sqlite);

    [PostgresFact]
    public Task Two_commercial_changes_of_one_order_at_once_never_overwrite_each_other_on_postgresql() => CommercialChangesConflict(StoreKind.Postgres);

    /// <summary>
    /// Two consumers load the same order and each takes a receipt and a shipment the other does not see: the store's
    /// <c>CommerceVersion</c> (orders v3) refuses the later save, and retried against the first, the order's rule refuses it.
    /// </summary>
    private static async Task CommercialChangesConflict(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        await using var flow = await OrderFlow.StartAsync(database: database);
        var id = await flow.Place();
        await flow.WorkOrders(id);
        await flow.Endpoints.Read(async a =>
        {
            var orderA = await Load(a, id);
            Touch(a, orderA);
            orderA.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 2)], DateTimeOffset.UtcNow);
            orderA.IssueInvoice(Guid.NewGuid(), "FP-A", 469m, DateTimeOffset.UtcNow);
            return await flow.Endpoints.Read(async b =>
            {
                var orderB = await Load(b, id);
                await a.SaveChangesAsync();
                Touch(b, orderB);
                orderB.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 2)], DateTimeOffset.UtcNow);
                orderB.IssueInvoice(Guid.NewGuid(), "FP-B", 469m, DateTimeOffset.UtcNow);

                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
                b.ChangeTracker.Clear();
                var retried = await Load(b, id);
                Assert.Throws<Crm.Domain.DomainRuleViolation>(() => retried.ShipProducts(Guid.NewGuid(), [new ShippedProduct("BB-100M", 1)], DateTimeOffset.UtcNow));
                return 0;
            });
        });
        var stored = await flow.Order(id);
        Assert.Equal((2, "FP-A"), (stored.ShippedQuantity(0), stored.Invoices.Single().Number));
        Assert.Single(stored.Shipments);
    }

    private static Task<Order> Load(Hub.Persistence.HubDbContext db, Guid id) =>
        db.Set<Order>().Include(o => o.Shipments).Include(o => o.WorkOrders).Include(o => o.ProductInstances).SingleAsync(o => o.Id == id);

    // As the commerce consumers mark their change (OrderStore.Touch): the concurrency token of orders v3.
    private static void Touch(Hub.Persistence.HubDbContext db, Order order) => db.Entry(order).Property<int>("CommerceVersion").CurrentValue++;

    [Fact]
    public async Task Order_stored_before_the_lifecycle_moved_into_the_domain_still_loads()
    {
        await using var database = TestDatabase.Sqlite();
        await using (var flow = await OrderFlow.StartAsync(database: database))
        {
            var id = Guid.NewGuid();
            // A row as version 1 of the schema wrote it, with its saga: the version 2 columns take their defaults.
            await flow.Endpoints.Read(db => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO crm_order (\"Id\", \"Number\", \"CustomerCode\", \"OwnerUserId\", \"Channel\", \"ContactEmail\", \"PlacedAt\", \"Lines\") " +
                "VALUES ({0}, 'SOV1ORDER0001', 'C1001', 'sales-li', 'mobile', NULL, {1}, {2})",
                id, DateTimeOffset.UtcNow, """[{"productCode":"BB","specModel":null,"quantity":1,"unitPrice":10,"discount":0}]"""));
            var order = await flow.Order(id);
            Assert.Equal((OrderStatus.Placed, 10m, ApprovalState.NotSubmitted), (order.Status, order.TotalAmount, order.Approval));
            Assert.Empty(order.History);
            Assert.Empty(order.WorkOrders);
        }
    }

    private static async Task SurvivesRestart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        Guid id;
        WorkOrder[] workOrders;
        await using (var before = await OrderFlow.StartAsync(database: database))
        {
            id = await before.Place();
            workOrders = await before.WorkOrders(id);
            await before.Charged(id, workOrders[0], "CH-1", 199m);
            await before.Provisioned(id, workOrders[0], "PRV-1");
            await before.Charged(id, workOrders[1], "CH-2", 270m);
            await Eventually.Get(async () => (await before.Order(id)).WorkOrders.Count(w => w.Status == WorkOrderStatus.Succeeded), n => n == 1,
                OrderFlow.Wait, "first work order succeeded");
            // The commerce records, as ERP and billing report them.
            await before.Endpoints.Read(async db =>
            {
                var order = await db.Set<Order>().Include(o => o.Shipments).SingleAsync(o => o.Id == id);
                order.Ship(Guid.NewGuid(), [new ShipmentLine(0, 1)], DateTimeOffset.UtcNow, "SF123");
                order.PlanPayments([new Instalment(1, new DateOnly(2027, 1, 31), 269m), new Instalment(2, new DateOnly(2027, 2, 28), 200m)]);
                order.IssueInvoice(Guid.NewGuid(), "INV-1", 269m, DateTimeOffset.UtcNow);
                order.RecordReceipt(Guid.NewGuid(), 100m, new DateOnly(2027, 1, 15), "BANK-9");
                return await db.SaveChangesAsync();
            });
        }

        await using var after = await OrderFlow.StartAsync(database: database);
        var reloaded = await after.Order(id);
        Assert.Equal(OrderStatus.Fulfilling, reloaded.Status);
        Assert.Equal(["Place", "ApproveAutomatically", "Decompose"], reloaded.History.Select(h => h.Trigger));
        Assert.Equal(ApprovalState.NotRequired, reloaded.Approval);
        Assert.Equal([WorkOrderStatus.Succeeded, WorkOrderStatus.Billed], reloaded.WorkOrders.OrderBy(w => w.LineIndex).Select(w => w.Status));
        Assert.Equal(("CH-1", "PRV-1"), (reloaded.WorkOrders.Single(w => w.LineIndex == 0).ChargeReference, reloaded.WorkOrders.Single(w => w.LineIndex == 0).ResourceReference));
        Assert.Equal(2, reloaded.ProductInstances.Count);
        Assert.Equal(("SF123", 1), (reloaded.Shipments.Single().CarrierReference, reloaded.Shipments.Single().Lines.Single().Quantity));
        Assert.Equal([269m, 200m], reloaded.Instalments.Select(i => i.Amount));
        Assert.Equal(("INV-1", 269m), (reloaded.Invoices.Single().Number, reloaded.InvoicedAmount));
        Assert.Equal(100m, reloaded.ReceivedAmount);

        // The saga goes on where it stopped: the last provisioning lands after the restart.
        await after.Provisioned(id, workOrders[1], "PRV-2");
        var audited = await after.InStatus(id, OrderStatus.Audited);
        Assert.True(audited.Audit!.Passed);
        await after.Publish(new ErpSalesOrderCreated(id, "ERP-9"));
        var closed = await after.InStatus(id, OrderStatus.Closed);
        Assert.All(closed.ProductInstances, p => Assert.Equal(ProductInstanceStatus.Active, p.Status));
        Assert.Equal(closed.History.Count, (await after.Saga(id))!.Sequence);
    }
}
