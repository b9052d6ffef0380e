using System.Text.Json;
using Crm.Contracts.Products;
using Crm.Domain.Products;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Products;

/// <summary>Body of <c>POST /api/v1/products</c> and <c>PUT /api/v1/products/{id}</c> (where id and code are ignored: the code never changes).</summary>
public sealed record ProductRequest(Guid? ProductId, string? Code, string? Name, string? Spec, string? Model);

/// <summary>Body of <c>PUT /api/v1/products/{id}/state</c>: <c>Active</c> or <c>Discontinued</c>.</summary>
public sealed record ProductStateRequest(string? State);

/// <summary>A catalogue entry as the apps show it; <see cref="Version"/> is also its ETag.</summary>
public sealed record ProductView(Guid ProductId, string Code, string Name, string? Spec, string? Model, string State, DateTimeOffset? DiscontinuedAt,
    long Version)
{
    /// <summary>The view of a stored product.</summary>
    public static ProductView Of(Product p, long version) => new(p.Id, p.Code, p.Name, p.Spec, p.Model, p.State.ToString(), p.DiscontinuedAt, version);
}

/// <summary>Body of <c>PUT /api/v1/price-book</c>: the whole new set of rules.</summary>
public sealed record PriceBookRequest(IReadOnlyList<PricingRuleData>? Rules);

/// <summary>The standard price book: its rules (shaped as <see cref="PricingRuleData"/>), who set them and when; <see cref="Version"/> is its ETag.</summary>
public sealed record PriceBookView(JsonElement Rules, DateTime? ChangedAt, string? ChangedBy, long Version)
{
    /// <summary>The book as <paramref name="caller"/> may see it: without the floor rules unless they may see price floors.</summary>
    public PriceBookView For(MobileCaller caller) => caller.MaySee(SensitiveFields.PriceBookFloor) ? this
        : this with
        {
            Rules = JsonSerializer.SerializeToElement(Rules.EnumerateArray()
                .Where(r => !(r.TryGetProperty("kind", out var kind) && string.Equals(kind.GetString(), FloorKind, StringComparison.OrdinalIgnoreCase)))),
        };

    /// <summary>The <see cref="PricingRuleData.Kind"/> of a floor rule.</summary>
    public const string FloorKind = "floor";
}

/// <summary>One component asked for in a quote.</summary>
public sealed record QuoteComponentRequest(string? Code, int? Quantity);

/// <summary>Body of <c>POST /api/v1/quotes</c>: the customer and the combination of components to price.</summary>
/// <param name="CustomerId">A customer in the caller's scope.</param>
/// <param name="Components">1 to 200 different components with their quantities.</param>
/// <param name="ValidDays">How long the price holds, 1 to 365 days; 30 when absent.</param>
public sealed record QuoteRequest(Guid? CustomerId, IReadOnlyList<QuoteComponentRequest>? Components, int? ValidDays);

/// <summary>
/// A priced combination (003 §3.5 报价): each line with its list amount and the volume and bundle discounts taken
/// off, the totals, and the floor that may have raised the total. Amounts are in whole cents. <see cref="Floor"/> is null for a caller
/// without <c>products.floor</c>; <see cref="FloorApplied"/> stays (the total is the price quoted either way).
/// </summary>
public sealed record QuoteView(string Number, Guid CustomerId, string PreparedBy, DateTimeOffset PreparedAt, DateOnly ValidUntil,
    IReadOnlyList<QuotationLine> Lines, decimal ListTotal, decimal Subtotal, decimal? Floor, decimal Total, bool FloorApplied, long PriceBookVersion)
{
    /// <summary>The view of a prepared quotation, priced with price book version <paramref name="priceBookVersion"/>, as <paramref name="caller"/> may see it.</summary>
    public static QuoteView Of(Quotation q, long priceBookVersion, MobileCaller caller) => new(q.Number, q.CustomerId, q.PreparedBy, q.PreparedAt, q.ValidUntil,
        q.Lines, q.ListTotal, q.Subtotal, caller.MaySee(SensitiveFields.QuotationFloor) ? q.Floor : null, q.Total, q.Total > q.Subtotal, priceBookVersion);
}
