namespace Crm.Domain.Orders;

/// <summary>
/// Everything a customer asked for in one visit (000 §3.4, 003 §3.4). Created only through
/// <see cref="Place"/>, which enforces the rules; its lifecycle is run by the order saga.
/// </summary>
public sealed partial class Order
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

    private readonly List<StateChange> _history = [];
    private readonly List<WorkOrder> _workOrders = [];
    private readonly List<ProductInstance> _productInstances = [];
    private readonly List<Shipment> _shipments = [];
    private readonly List<Instalment> _instalments = [];
    private readonly List<Invoice> _invoices = [];
    private readonly List<Receipt> _receipts = [];

    /// <summary>Current state, one of <see cref="OrderStatus"/>; steps follow <see cref="OrderLifecycle"/>.</summary>
    public string Status { get; private set; } = OrderStatus.Placed;

    /// <summary>When the current state was entered: the start of its <see cref="Deadline"/>.</summary>
    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>Every step the order took, oldest first.</summary>
    public IReadOnlyList<StateChange> History => _history;

    /// <summary>Where the order stands with its approval.</summary>
    public ApprovalState Approval { get; private set; } = ApprovalState.NotSubmitted;

    /// <summary>The manager who approved or rejected the order.</summary>
    public string? ApproverId { get; private set; }

    /// <summary>When approval was decided.</summary>
    public DateTimeOffset? ApprovalDecidedAt { get; private set; }

    /// <summary>One work order per main product line, once decomposed.</summary>
    public IReadOnlyList<WorkOrder> WorkOrders => _workOrders;

    /// <summary>The outcome of the latest audit, if audited.</summary>
    public OrderAudit? Audit { get; private set; }

    /// <summary>The products the order brings into service, one per line.</summary>
    public IReadOnlyList<ProductInstance> ProductInstances => _productInstances;

    /// <summary>Set when the customer cancelled after fulfilment had started: compensation then ends in <see cref="OrderStatus.Cancelled"/>.</summary>
    public bool CancellationRequested { get; private set; }

    /// <summary>Why the order was rejected, failed or cancelled.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Deliveries so far.</summary>
    public IReadOnlyList<Shipment> Shipments => _shipments;

    /// <summary>The agreed payments, if a plan was made.</summary>
    public IReadOnlyList<Instalment> Instalments => _instalments;

    /// <summary>Invoices issued.</summary>
    public IReadOnlyList<Invoice> Invoices => _invoices;

    /// <summary>Money received.</summary>
    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>Sum of the invoices.</summary>
    public decimal InvoicedAmount => _invoices.Sum(i => i.Amount);

    /// <summary>Sum of the receipts.</summary>
    public decimal ReceivedAmount => _receipts.Sum(r => r.Amount);

    /// <summary>The join of 000's Petri net: the order has work orders and every one of them succeeded.</summary>
    public bool AllWorkOrdersSucceeded => _workOrders.Count > 0 && _workOrders.All(w => w.IsSucceeded);

    /// <summary>Whether every unit of every line has shipped.</summary>
    public bool IsFullyShipped => Items.Select((item, i) => ShippedQuantity(i) >= item.Quantity).All(x => x);

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

        var order = new Order
        {
            Id = id,
            Number = NumberFor(id),
            CustomerCode = customerCode.Trim(),
            OwnerUserId = ownerUserId.Trim(),
            Channel = channel.Trim(),
            ContactEmail = contactEmail?.Trim(),
            PlacedAt = now,
            Items = items!.ToArray(),
            StatusChangedAt = now,
        };
        order._history.Add(new StateChange(null, OrderStatus.Placed, OrderLifecycle.Triggers.Place, now, order.OwnerUserId, null, null));
        // 000 §3.4: the product instances are created with the order, and linked to it.
        for (var i = 0; i < order.Items.Count; i++)
            order._productInstances.Add(ProductInstance.For(id, i, order.Items[i]));
        return order;
    }

    /// <summary>
    /// The order number is derived from the id alone, so every channel that knows the id (the REST
    /// answer, a retry, a reprocessing) names the same number.
    /// </summary>
    public static string NumberFor(Guid id) => "SO" + id.ToString("N")[..12].ToUpperInvariant();

    private static bool IsPlausibleEmail(string value) => ContactFormats.IsPlausibleEmail(value);
}
