using static Hub.Endpoints.Products.ProductCommands;
using Crm.Contracts.Products;
using Crm.Domain;
using Crm.Domain.Products;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Products;

/// <summary>
/// Adds a product to the catalogue: the domain checks it, the store keeps it, <see cref="ProductRegistered"/> goes
/// out with the save (transactional outbox). A code already taken is a conflict; the same command or product id
/// again changes nothing.
/// </summary>
public sealed class RegisterProductConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RegisterProduct>
{
    public async Task Consume(ConsumeContext<RegisterProduct> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        var existing = await db.Set<Product>().AsNoTracking().Where(p => p.Id == command.ProductId)
            .Select(p => (long?)EF.Property<long>(p, CrmStoreModels.Version)).FirstOrDefaultAsync(context.CancellationToken);
        if (existing is { } version)
        {
            await Outcome.AcceptRepeat(context, command.CommandId, command.ProductId, version);
            return;
        }

        Product product;
        try
        {
            product = Product.Add(command.ProductId, command.Code, command.Name, command.Spec, command.Model);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }
        if (await db.Set<Product>().AnyAsync(p => p.Code == product.Code, context.CancellationToken))
        {
            await Outcome.Reject(context, db, command.CommandId, ProductCommandRejected.Conflict, "The product code is taken.",
                new Dictionary<string, string[]> { ["code"] = [$"product code {product.Code} belongs to another product"] });
            return;
        }

        db.Add(product);
        var saved = db.NextVersion(product);
        await context.Publish(new ProductRegistered(product.Id, product.Code, product.Name, product.Spec, product.Model, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, product.Id, saved);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
