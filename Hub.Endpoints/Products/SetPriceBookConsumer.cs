using Hub.Infrastructure;
using static Hub.Endpoints.Products.ProductCommands;
using Crm.Contracts.Products;
using Crm.Domain;
using Crm.Domain.Products;
using Hub.CrmStore;
using Hub.CrmStore.Products;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Products;

/// <summary>
/// Replaces the rules of the standard price book, made from the version it names. The domain checks the rules
/// together (<see cref="PriceBook"/>); a broken set is refused with a field error per broken rule and the old
/// book stays in force.
/// </summary>
public sealed class SetPriceBookConsumer(HubDbContext db, TimeProvider clock) : IConsumer<SetPriceBook>
{
    public async Task Consume(ConsumeContext<SetPriceBook> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        var stored = await db.Set<StoredPriceBook>().FirstOrDefaultAsync(b => b.Id == StoredPriceBook.StandardId, context.CancellationToken);
        var current = stored is null ? 0 : db.VersionOf(stored);
        if (command.ExpectedVersion is { } expected && expected != current)
        {
            await Outcome.RejectVersion(context, db, command.CommandId, expected, current);
            return;
        }

        PriceBook book;
        try
        {
            book = new PriceBook(PricingRules.ToDomain(command.Rules));
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }
        if (stored is null)
        {
            stored = new StoredPriceBook { Id = StoredPriceBook.StandardId };
            db.Add(stored);
        }
        var now = clock.GetUtcNow();
        stored.Set(book, now.UtcDateTime, command.Actor);
        var version = db.NextVersion(stored);
        await context.Publish(new PriceBookChanged(stored.Id, command.Rules, version, now, command.Actor));
        await Outcome.Accept(context, db, command.CommandId, stored.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Pricing rules as they travel (<see cref="PricingRuleData"/>) made into the domain's rules.</summary>
internal static class PricingRules
{
    /// <summary>
    /// The domain's rules, one per rule given so the domain's field errors (<c>rules[i]…</c>) point at the rule sent:
    /// an unknown kind or mode is passed on as such, and <see cref="PriceBook"/> refuses it with the other broken rules.
    /// </summary>
    public static IReadOnlyList<PricingRule> ToDomain(IReadOnlyList<PricingRuleData>? rules)
    {
        new RuleCheck().Require(rules is { Count: <= 1000 }, "rules", "a list of at most 1,000 rules is required").ThrowIfBroken();
        return rules!.Select(rule => rule?.Kind?.Trim().ToLowerInvariant() switch
        {
            "baseprice" => new BasePrice(rule.ComponentCode!, rule.UnitPrice ?? -1),
            "volume" => new VolumeDiscount(rule.ComponentCode!, rule.Tiers?.Select(t => new VolumeTier(t.MinQuantity, t.Discount)).ToArray()!, ModeOf(rule.Mode)),
            "bundle" => new BundleDiscount(rule.Name!, rule.ComponentCodes!, rule.Discount ?? -1),
            "floor" => new PriceFloor(rule.ShareOfList ?? -1),
            _ => (PricingRule)new UnknownRule(),
        }).ToArray();
    }

    private static VolumeDiscountMode ModeOf(string? mode) =>
        mode is null ? VolumeDiscountMode.Graduated
        : EnumNames.ParseOrUnknown<VolumeDiscountMode>(mode);

    /// <summary>A rule of a kind the hub does not know; the price book refuses it by its position.</summary>
    private sealed record UnknownRule : PricingRule;
}
