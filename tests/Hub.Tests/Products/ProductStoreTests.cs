using Crm.Domain.Products;
using Hub.CrmStore;
using Hub.CrmStore.Products;
using Hub.Persistence;
using Hub.Persistence.History;
using Hub.Persistence.Tests.Infrastructure;
using Hub.Tests.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Products;

/// <summary>The catalogue and price book on both stores: migrations applied, data and change history survive a restart.</summary>
public sealed class ProductStoreTests
{
    [Fact] public Task Products_and_the_price_book_survive_a_restart_on_sqlite() => Survives_a_restart(StoreKind.Sqlite);
    [PostgresFact] public Task Products_and_the_price_book_survive_a_restart_on_postgres() => Survives_a_restart(StoreKind.Postgres);

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    private static async Task Survives_a_restart(StoreKind kind)
    {
        await using var database = await TestDatabase.Create(kind);
        var routerId = Guid.NewGuid();
        var cableId = Guid.NewGuid();
        var book = new PriceBook([
            new BasePrice("RTR-100", 1200.00m),
            new BasePrice("CBL-5", 35.50m),
            new VolumeDiscount("CBL-5", [new VolumeTier(10, 0.05m), new VolumeTier(100, 0.10m)], VolumeDiscountMode.AllUnits),
            new BundleDiscount("Starter kit", ["RTR-100", "CBL-5"], 0.08m),
            new PriceFloor(0.7m),
        ]);
        await using (var first = await CustomerStoreTests.Store(database))
        {
            using var scope = first.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var router = Product.Add(routerId, "RTR-100", "企业路由器", "19英寸 1U", "AR-100");
            var cable = Product.Add(cableId, "CBL-5", "网线", "5米", null);
            db.AddRange(router, cable);
            db.NextVersion(router);
            db.NextVersion(cable);
            var stored = new StoredPriceBook { Id = StoredPriceBook.StandardId };
            stored.Set(book, Now.UtcDateTime, "mgr-chen");
            db.Add(stored);
            db.NextVersion(stored);
            await db.SaveChangesAsync();

            cable.Discontinue(Now.AddDays(1));
            db.NextVersion(cable);
            await db.SaveChangesAsync();
        }

        await using var second = await CustomerStoreTests.Store(database);
        Assert.Empty(await second.GetRequiredService<HubSchemaMigrator>().MigrateAsync());
        using var scope2 = second.CreateScope();
        var store = scope2.ServiceProvider.GetRequiredService<HubDbContext>();
        var loaded = await store.Set<Product>().SingleAsync(p => p.Id == routerId);
        Assert.Equal(("RTR-100", "企业路由器", "19英寸 1U", "AR-100", ProductState.Active), (loaded.Code, loaded.Name, loaded.Spec, loaded.Model, loaded.State));
        var discontinued = await store.Set<Product>().SingleAsync(p => p.State == ProductState.Discontinued);
        Assert.Equal((cableId, (DateTimeOffset?)Now.AddDays(1), 2L), (discontinued.Id, discontinued.DiscontinuedAt, store.VersionOf(discontinued)));

        var reloaded = (await store.Set<StoredPriceBook>().SingleAsync()).ToPriceBook();
        Assert.Equal(book.Rules.Count, reloaded.Rules.Count);
        var components = new[] { new QuoteComponent("RTR-100", 2), new QuoteComponent("CBL-5", 12) };
        Assert.Equal(book.Price(components), reloaded.Price(components), QuotePriceComparer.Instance);
        Assert.False(reloaded.IsMonotoneInQuantity);

        // Every change is on record: the cable was added, then discontinued.
        var history = await ChangeHistory.Of<Product>(store, cableId, CancellationToken.None);
        Assert.Equal(2, history.Count);
        Assert.Single(await ChangeHistory.Of<StoredPriceBook>(store, StoredPriceBook.StandardId, CancellationToken.None));
    }

    /// <summary>Quote prices compared by value, lines included (records compare lists by reference).</summary>
    private sealed class QuotePriceComparer : IEqualityComparer<QuotePrice>
    {
        public static readonly QuotePriceComparer Instance = new();
        public bool Equals(QuotePrice? x, QuotePrice? y) => x is not null && y is not null && x.Lines.SequenceEqual(y.Lines)
            && (x.ListTotal, x.Subtotal, x.Floor, x.Total) == (y.ListTotal, y.Subtotal, y.Floor, y.Total);
        public int GetHashCode(QuotePrice obj) => obj.Total.GetHashCode();
    }
}
