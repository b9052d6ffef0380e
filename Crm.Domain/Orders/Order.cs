namespace Crm.Domain.Orders;

/// <summary>
/// Everything a customer asked for in one visit (000 §3.4, 003 §3.4). Created only through
/// <see cref="Place"/>, which enforces the rules; its lifecycle is run by the order saga.
/// </summary>
public sealed class Order
{
    /// <summary>Most lines one order may carry; more is a data-entry error, not a real visit.</summary>
    public const int MaxItems = 200;

    private Order() { }

    /// <summary>Identity chosen by the caller, which makes a retried placement idempotent.</summary>
    public Guid Id { get; private set; }

    /// <summary>Business number shown to people and partners (ERP, billing).</summary>
    public string Number { get; private set; } = "";

    /// <summary>Code of the ordering customer.</summary>
    public string CustomerCode { get; private set; } = "";

    /// <summary>Salesperson who owns the order.</summary>
    public string OwnerUserId { get; private set; } = "";

    /// <summary>Where the order came from: mobile, web, call-centre, erp.</summary>
    public string Channel { get; private set; } = "";

    /// <summary>Address for the customer's order notifications, if any.</summary>
    public string? ContactEmail { get; private set; }

    /// <summary>When the order was accepted.</summary>
    public DateTimeOffset PlacedAt { get; private set; }

    /// <summary>The ordered lines.</summary>
    public IReadOnlyList<OrderItem> Items { get; private set; } = [];

    /// <summary>Sum of the lines after discount.</summary>
    public decimal TotalAmount => Items.Sum(i => i.Amount);

    /// <summary>Accepts an order, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static Order Place(Guid id, string customerCode, string ownerUserId, IReadOnlyList<OrderItem> items,
        string? contactEmail, string channel, DateTimeOffset now)
    {
        var check = new RuleCheck()
            .Require(id != Guid.Empty, "orderId", "must not be empty")
            .Require(!string.IsNullOrWhiteSpace(customerCode) && customerCode.Length <= 32, "customerCode", "is required, at most 32 characters")
            .Require(!string.IsNullOrWhiteSpace(ownerUserId) && ownerUserId.Length <= 64, "ownerUserId", "is required, at most 64 characters")
            .Require(!string.IsNullOrWhiteSpace(channel), "channel", "is required")
            .Require(contactEmail is null || IsPlausibleEmail(contactEmail), "contactEmail", "is not an email address")
            .Require(items is { Count: > 0 }, "lines", "an order needs at least one line")
            .Require(items is null || items.Count <= MaxItems, "lines", $"at most {MaxItems} lines");
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            check.Require(!string.IsNullOrWhiteSpace(item.ProductCode), $"lines[{i}].productCode", "is required")
                .Require(item.Quantity > 0, $"lines[{i}].quantity", "must be at least 1")
                .Require(item.UnitPrice >= 0, $"lines[{i}].unitPrice", "must not be negative")
                .Require(item.Discount is >= 0 and < 1, $"lines[{i}].discount", "must be from 0 up to but excluding 1");
        }
        check.ThrowIfBroken();

        return new Order
        {
            Id = id,
            Number = NumberFor(id),
            CustomerCode = customerCode.Trim(),
            OwnerUserId = ownerUserId.Trim(),
            Channel = channel.Trim(),
            ContactEmail = contactEmail?.Trim(),
            PlacedAt = now,
            Items = items!.ToArray(),
        };
    }

    /// <summary>
    /// The order number is derived from the id alone, so every channel that knows the id (the REST
    /// answer, a retry, a reprocessing) names the same number.
    /// </summary>
    public static string NumberFor(Guid id) => "SO" + id.ToString("N")[..12].ToUpperInvariant();

    private static bool IsPlausibleEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at < value.Length - 3 && value.IndexOf('.', at) > at + 1 && !value.Any(char.IsWhiteSpace) && value.Length <= 254;
    }
}
