namespace Crm.Domain.Orders;

/// <summary>Whether the customer can use an ordered product yet.</summary>
public enum ProductInstanceStatus
{
    /// <summary>Ordered, not yet in service.</summary>
    Pending,
    /// <summary>In service (开通): the order was closed.</summary>
    Active,
    /// <summary>Never came into service: the order was rejected, failed or cancelled.</summary>
    Cancelled,
}

/// <summary>
/// The product a customer chose, as an instance tied to the order (000 §3.4: 生成产品实例). Created
/// with the order, activated when the order closes. Changed only through its <see cref="Order"/>.
/// </summary>
public sealed class ProductInstance
{
    private ProductInstance() { }

    /// <summary>Derived from the order id and the line.</summary>
    public Guid Id { get; private set; }

    /// <summary>The order that created it.</summary>
    public Guid OrderId { get; private set; }

    /// <summary>Index of the order line it comes from.</summary>
    public int LineIndex { get; private set; }

    /// <summary>Catalogue code of the product.</summary>
    public string ProductCode { get; private set; } = "";

    /// <summary>Specification or model, if any.</summary>
    public string? SpecModel { get; private set; }

    /// <summary>Units.</summary>
    public int Quantity { get; private set; }

    /// <summary>Whether it is in service.</summary>
    public ProductInstanceStatus Status { get; private set; }

    /// <summary>When it came into service.</summary>
    public DateTimeOffset? ActivatedAt { get; private set; }

    internal static ProductInstance For(Guid orderId, int lineIndex, OrderItem item) => new()
    {
        Id = DerivedId.From(orderId, $"product-instance/{lineIndex}"),
        OrderId = orderId,
        LineIndex = lineIndex,
        ProductCode = item.ProductCode.Trim(),
        SpecModel = item.SpecModel?.Trim(),
        Quantity = item.Quantity,
        Status = ProductInstanceStatus.Pending,
    };

    internal void Activate(DateTimeOffset at)
    {
        Status = ProductInstanceStatus.Active;
        ActivatedAt = at;
    }

    internal void Cancel() => Status = ProductInstanceStatus.Cancelled;
}
