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
        if (await context.AnsweredBefore(db, command.CommandId))
            return;
        var stored = await db.Set<StoredPriceBook>().FirstOrDefaultAsync(b => b.Id == StoredPriceBook.StandardId, context.CancellationToken);
        var current = stored is null ? 0 : db.VersionOf(stored);
        if (command.ExpectedVersion is { } expected && expected != current)
        {
            await context.RejectVersion(db, command.CommandId, expected, current);
            return;
        }

        PriceBook book;
        try
        {
            book = new PriceBook(PricingRules.ToDomain(command.Rules));
        }
        catch (DomainRuleViolation violation)
        {
            await context.Reject(db, command.CommandId, violation);
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
        await context.Accept(db, command.CommandId, stored.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Pricing rules as they travel (<see cref="PricingRuleData"/>) made into the domain's rules.</summary>
internal static class PricingRules
{
    /// <summary>The domain's rules, or <see cref="DomainRuleViolation"/> naming every rule of an unknown kind or mode.</summary>
    public static IReadOnlyList<PricingRule> ToDomain(IReadOnlyList<PricingRuleData>? rules)
    {
        var check = new RuleCheck().Require(rules is { Count: <= 1000 }, "rules", "a price book has at most 1,000 rules");
        var result = new List<PricingRule>();
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i];
            var field = $"rules[{i}]";
            switch (rule?.Kind?.Trim().ToLowerInvariant())
            {
                case "baseprice":
                    result.Add(new BasePrice(rule.ComponentCode!, rule.UnitPrice ?? -1));
                    break;
                case "volume":
                    var mode = VolumeDiscountMode.Graduated;
                    check.Require(rule.Mode is null || (!char.IsAsciiDigit(rule.Mode.Trim().FirstOrDefault('0'))
                        && Enum.TryParse(rule.Mode.Trim(), ignoreCase: true, out mode) && Enum.IsDefined(mode)), $"{field}.mode",
                        $"must be one of {string.Join(", ", Enum.GetNames<VolumeDiscountMode>())}");
                    result.Add(new VolumeDiscount(rule.ComponentCode!, rule.Tiers?.Select(t => new VolumeTier(t.MinQuantity, t.Discount)).ToArray()!, mode));
                    break;
                case "bundle":
                    result.Add(new BundleDiscount(rule.Name!, rule.ComponentCodes!, rule.Discount ?? -1));
                    break;
                case "floor":
                    result.Add(new PriceFloor(rule.ShareOfList ?? -1));
                    break;
                default:
                    check.Require(false, $"{field}.kind", "must be one of basePrice, volume, bundle, floor");
                    break;
            }
        }
        check.ThrowIfBroken();
        return result;
    }
}
