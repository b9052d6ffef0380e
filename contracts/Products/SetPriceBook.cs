namespace Crm.Contracts.Products;

/// <summary>
/// Command: replace the rules of the standard price book that every quote is priced with. Answered like
/// <see cref="RegisterProduct"/>; the accepted answer names the price book.
/// </summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="Rules">The whole new set of rules.</param>
/// <param name="ExpectedVersion">The version the change was made from (0 before the first book).</param>
/// <param name="Actor">Who asked.</param>
public sealed record SetPriceBook(Guid CommandId, IReadOnlyList<PricingRuleData> Rules, long? ExpectedVersion, string Actor);
