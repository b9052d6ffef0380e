using Crm.Contracts.Products;
using Crm.Domain.Products;
using Hub.CrmStore.Products;
using Hub.Endpoints;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Products;

/// <summary>The product and price-book consumers on MassTransit's test harness, over a real SQLite store composed as the Endpoints host composes it.</summary>
public sealed class ProductConsumerTests : IAsyncLifetime
{
    private EndpointsHarness _endpoints = null!;

    public async Task InitializeAsync() => _endpoints = await EndpointsHarness.StartAsync();

    public async Task DisposeAsync() => await _endpoints.DisposeAsync();

    private Task<object> Send<T>(T command) where T : class => _endpoints.Send<T, ProductCommandAccepted, ProductCommandRejected>(command);

    private Task<T> Read<T>(Func<HubDbContext, Task<T>> query) => _endpoints.Read(query);

    private static RegisterProduct Register(Guid id, string code, string name = "企业路由器") => new(NewId.NextGuid(), id, code, name, "1U", "AR-100", "mgr-chen");

    [Fact]
    public async Task The_same_product_command_again_changes_nothing_and_gets_the_first_answer()
    {
        var id = NewId.NextGuid();
        var command = Register(id, "RTR-ONCE");
        var first = Assert.IsType<ProductCommandAccepted>(await Send(command));
        var again = Assert.IsType<ProductCommandAccepted>(await Send(command));
        var sameProduct = Assert.IsType<ProductCommandAccepted>(await Send(command with { CommandId = NewId.NextGuid(), Name = "Other" }));
        Assert.Equal((id, 1L, false), (first.EntityId, first.Version, first.Repeated));
        Assert.Equal((id, 1L, true), (again.EntityId, again.Version, again.Repeated));
        Assert.True(sameProduct.Repeated);
        Assert.Equal("企业路由器", await Read(db => db.Set<Product>().Where(p => p.Id == id).Select(p => p.Name).SingleAsync()));
        Assert.Equal(1, _endpoints.Harness.Published.Select<ProductRegistered>().Count(m => m.Context.Message.ProductId == id));

        var discontinue = new ChangeProductState(NewId.NextGuid(), id, "discontinued", 1, "mgr-chen");
        Assert.Equal(2L, Assert.IsType<ProductCommandAccepted>(await Send(discontinue)).Version);
        Assert.True(Assert.IsType<ProductCommandAccepted>(await Send(discontinue)).Repeated);
        Assert.Equal(ProductState.Discontinued, await Read(db => db.Set<Product>().Where(p => p.Id == id).Select(p => p.State).SingleAsync()));
        Assert.Equal(["Discontinued"], _endpoints.Harness.Published.Select<ProductChanged>().Where(m => m.Context.Message.ProductId == id).Select(m => m.Context.Message.State));
    }

    [Fact]
    public async Task Product_commands_are_rejected_by_reason_with_field_errors()
    {
        var invalid = Assert.IsType<ProductCommandRejected>(await Send(new RegisterProduct(NewId.NextGuid(), NewId.NextGuid(), "bad code!", "", null, null, "mgr")));
        Assert.Equal(ProductCommandRejected.Invalid, invalid.Reason);
        Assert.Equal(["code", "name"], invalid.Errors.Keys.Order());

        var id = NewId.NextGuid();
        Assert.IsType<ProductCommandAccepted>(await Send(Register(id, "RTR-TAKEN")));
        var taken = Assert.IsType<ProductCommandRejected>(await Send(Register(NewId.NextGuid(), "RTR-TAKEN")));
        Assert.Equal((ProductCommandRejected.Conflict, "code"), (taken.Reason, taken.Errors.Keys.Single()));

        Assert.IsType<ProductCommandAccepted>(await Send(new UpdateProduct(NewId.NextGuid(), id, "路由器 二代", "2U", "AR-200", 1, "mgr")));
        var stale = Assert.IsType<ProductCommandRejected>(await Send(new UpdateProduct(NewId.NextGuid(), id, "Lost update", null, null, 1, "mgr")));
        Assert.Equal(ProductCommandRejected.VersionMismatch, stale.Reason);
        var badState = Assert.IsType<ProductCommandRejected>(await Send(new ChangeProductState(NewId.NextGuid(), id, "1", null, "mgr")));
        Assert.Equal((ProductCommandRejected.Invalid, "state"), (badState.Reason, badState.Errors.Keys.Single()));
        var missing = Assert.IsType<ProductCommandRejected>(await Send(new UpdateProduct(NewId.NextGuid(), NewId.NextGuid(), "x", null, null, null, "mgr")));
        Assert.Equal(ProductCommandRejected.NotFound, missing.Reason);
        Assert.Equal(("路由器 二代", "AR-200"), await Read(db => db.Set<Product>().Where(p => p.Id == id).Select(p => new ValueTuple<string, string?>(p.Name, p.Model)).SingleAsync()));
    }

    [Fact]
    public async Task A_broken_price_book_is_refused_per_rule_and_the_book_in_force_stays()
    {
        PricingRuleData[] good = [new("basePrice", "RTR-100", 1200m), new("floor", ShareOfList: 0.7m)];
        var set = Assert.IsType<ProductCommandAccepted>(await Send(new SetPriceBook(NewId.NextGuid(), good, 0, "mgr-chen")));
        Assert.Equal((StoredPriceBook.StandardId, 1L), (set.EntityId, set.Version));

        var broken = Assert.IsType<ProductCommandRejected>(await Send(new SetPriceBook(NewId.NextGuid(),
            [new("basePrice", "RTR-100", -1m), new("discount"), new("volume", "RTR-100", Tiers: [new(5, 0.1m)], Mode: "Sideways"), new("floor", ShareOfList: 2m)], 1, "mgr-chen")));
        Assert.Equal(ProductCommandRejected.Invalid, broken.Reason);
        Assert.Equal(["rules[0].unitPrice", "rules[1]", "rules[2].mode", "rules[3].shareOfList"], broken.Errors.Keys.Order());
        var stale = Assert.IsType<ProductCommandRejected>(await Send(new SetPriceBook(NewId.NextGuid(), good, 0, "mgr-chen")));
        Assert.Equal(ProductCommandRejected.VersionMismatch, stale.Reason);

        var inForce = await Read(db => db.Set<StoredPriceBook>().SingleAsync());
        Assert.Equal(1200m, inForce.ToPriceBook().Price([new QuoteComponent("RTR-100", 1)]).Total);
        Assert.Single(_endpoints.Harness.Published.Select<PriceBookChanged>());
    }
}
