using Hub.Infrastructure;
using static Hub.Endpoints.Products.ProductCommands;
using Crm.Contracts.Products;
using Crm.Domain;
using Crm.Domain.Products;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Products;

/// <summary>Replaces a product's name, specification and model, made from the version it names.</summary>
public sealed class UpdateProductConsumer(HubDbContext db, TimeProvider clock) : IConsumer<UpdateProduct>
{
    public async Task Consume(ConsumeContext<UpdateProduct> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await ProductChange.Load(context, db, command.CommandId, command.ProductId, command.ExpectedVersion) is not { } product)
            return;
        try
        {
            product.Revise(command.Name, command.Spec, command.Model);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }
        await ProductChange.Save(context, db, clock, command.CommandId, product, command.Actor);
    }
}

/// <summary>Takes a product off sale (it can no longer be quoted) or puts it back on sale.</summary>
public sealed class ChangeProductStateConsumer(HubDbContext db, TimeProvider clock) : IConsumer<ChangeProductState>
{
    public async Task Consume(ConsumeContext<ChangeProductState> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (!EnumNames.TryParse<ProductState>(command.State, out var state))
        {
            await Outcome.Reject(context, db, command.CommandId, ProductCommandRejected.Invalid, "The request breaks a business rule.",
                new Dictionary<string, string[]> { ["state"] = [$"must be one of {string.Join(", ", Enum.GetNames<ProductState>())}"] });
            return;
        }
        if (await ProductChange.Load(context, db, command.CommandId, command.ProductId, command.ExpectedVersion) is not { } product)
            return;
        if (state == ProductState.Active)
            product.Reinstate();
        else
            product.Discontinue(clock.GetUtcNow());
        await ProductChange.Save(context, db, clock, command.CommandId, product, command.Actor);
    }
}

/// <summary>The steps every change of an existing product shares.</summary>
internal static class ProductChange
{
    /// <summary>The product, tracked; or null after refusing the command because it is missing or not at <paramref name="expectedVersion"/>.</summary>
    public static async Task<Product?> Load(ConsumeContext context, HubDbContext db, Guid commandId, Guid productId, long? expectedVersion)
    {
        var product = await db.Set<Product>().FirstOrDefaultAsync(p => p.Id == productId, context.CancellationToken);
        if (product is null)
        {
            await Outcome.Reject(context, db, commandId, ProductCommandRejected.NotFound, "No such product.",
                new Dictionary<string, string[]> { ["productId"] = ["no such product"] });
            return null;
        }
        if (expectedVersion is { } expected && expected != db.VersionOf(product))
        {
            await Outcome.RejectVersion(context, db, commandId, expected, db.VersionOf(product));
            return null;
        }
        return product;
    }

    /// <summary>Saves the changed product with its next version and publishes <see cref="ProductChanged"/> with it.</summary>
    public static async Task Save(ConsumeContext context, HubDbContext db, TimeProvider clock, Guid commandId, Product product, string actor)
    {
        var version = db.NextVersion(product);
        await context.Publish(new ProductChanged(product.Id, product.Code, product.Name, product.Spec, product.Model, product.State.ToString(),
            version, clock.GetUtcNow(), actor));
        await Outcome.Accept(context, db, commandId, product.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
