namespace Crm.Domain.Products;

/// <summary>
/// A quote for a customer (003 §3.5 报价管理): the components the salesperson combined, priced by
/// the <see cref="PriceBook"/> so that every salesperson quotes the same price for the same combination.
/// </summary>
public sealed class Quotation
{
    private readonly List<QuotationLine> _lines = [];

    private Quotation() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>Business number derived from the id, like <c>Order.NumberFor</c>.</summary>
    public string Number { get; private set; } = "";

    /// <summary>The customer quoted.</summary>
    public Guid CustomerId { get; private set; }

    /// <summary>The salesperson.</summary>
    public string PreparedBy { get; private set; } = "";

    /// <summary>When it was priced.</summary>
    public DateTimeOffset PreparedAt { get; private set; }

    /// <summary>Last day the price holds.</summary>
    public DateOnly ValidUntil { get; private set; }

    /// <summary>The priced lines.</summary>
    public IReadOnlyList<QuotationLine> Lines => _lines;

    /// <summary>Sum of the list amounts.</summary>
    public decimal ListTotal { get; private set; }

    /// <summary>Sum of the line amounts after discounts.</summary>
    public decimal Subtotal { get; private set; }

    /// <summary>The lowest the total could be.</summary>
    public decimal Floor { get; private set; }

    /// <summary>The price quoted.</summary>
    public decimal Total { get; private set; }

    /// <summary>The quote number for an id.</summary>
    public static string NumberFor(Guid id) => "QT" + id.ToString("N")[..12].ToUpperInvariant();

    /// <summary>
    /// Prices <paramref name="components"/> for a customer. Every component must be in
    /// <paramref name="catalogue"/> and on sale; the price holds for <paramref name="validDays"/> days.
    /// </summary>
    public static Quotation Prepare(Guid id, Guid customerId, IReadOnlyList<QuoteComponent> components, PriceBook priceBook,
        IReadOnlyCollection<Product> catalogue, string preparedBy, DateTimeOffset now, int validDays = 30)
    {
        var check = new RuleCheck()
            .Require(id != Guid.Empty, "quotationId", "must not be empty")
            .Require(customerId != Guid.Empty, "customerId", "must not be empty")
            .RequireText(preparedBy, "preparedBy", 64)
            .Require(validDays is >= 1 and <= 365, "validDays", "must be from 1 to 365");
        for (var i = 0; i < (components?.Count ?? 0); i++)
        {
            var product = catalogue.FirstOrDefault(p => string.Equals(p.Code, components![i].Code?.Trim(), StringComparison.OrdinalIgnoreCase));
            check.Require(product is not null, $"components[{i}].code", "is not in the catalogue")
                .Require(product is null || product.IsActive, $"components[{i}].code", "is discontinued");
        }
        check.ThrowIfBroken();

        var price = priceBook.Price(components!);
        var quotation = new Quotation
        {
            Id = id,
            Number = NumberFor(id),
            CustomerId = customerId,
            PreparedBy = preparedBy.Trim(),
            PreparedAt = now,
            ValidUntil = DateOnly.FromDateTime(now.DateTime).AddDays(validDays),
            ListTotal = price.ListTotal,
            Subtotal = price.Subtotal,
            Floor = price.Floor,
            Total = price.Total,
        };
        quotation._lines.AddRange(price.Lines);
        return quotation;
    }

    /// <summary>Whether the price still holds on <paramref name="day"/>.</summary>
    public bool IsValidOn(DateOnly day) => day <= ValidUntil;
}
