namespace Crm.Domain.Orders;

/// <summary>Units of one order line sent in a shipment.</summary>
/// <param name="LineIndex">Index of the order line (0-based, as in <see cref="Order.Items"/>).</param>
/// <param name="Quantity">Units sent, at least one.</param>
public sealed record ShipmentLine(int LineIndex, int Quantity);

/// <summary>Units of a product sent in a shipment, as a warehouse reports them (by product, not by order line).</summary>
/// <param name="ProductCode">The product, as on the order's lines.</param>
/// <param name="Quantity">Units sent, at least one.</param>
public sealed record ShippedProduct(string ProductCode, int Quantity);

/// <summary>
/// One delivery of an order (003 §3.4.1 分批发货): orders may ship in parts, and what has shipped of
/// a line never exceeds what was ordered. Changed only through its <see cref="Order"/>.
/// </summary>
public sealed class Shipment
{
    private readonly List<ShipmentLine> _lines = [];

    private Shipment() { }

    /// <summary>Chosen by the caller, which makes a retried shipment idempotent.</summary>
    public Guid Id { get; private set; }

    /// <summary>The order shipped from.</summary>
    public Guid OrderId { get; private set; }

    /// <summary>When it left.</summary>
    public DateTimeOffset ShippedAt { get; private set; }

    /// <summary>Carrier's waybill or the warehouse's dispatch note, if any.</summary>
    public string? CarrierReference { get; private set; }

    /// <summary>What it carries.</summary>
    public IReadOnlyList<ShipmentLine> Lines => _lines;

    /// <summary>Who signed for it (收货), once delivered.</summary>
    public string? ReceivedBy { get; private set; }

    /// <summary>When it was signed for.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    internal static Shipment Create(Guid id, Guid orderId, IEnumerable<ShipmentLine> lines, DateTimeOffset at, string? carrierReference)
    {
        var shipment = new Shipment { Id = id, OrderId = orderId, ShippedAt = at, CarrierReference = carrierReference?.Trim() };
        shipment._lines.AddRange(lines);
        return shipment;
    }

    internal void ConfirmDelivery(string receivedBy, DateTimeOffset at)
    {
        new RuleCheck().RequireText(receivedBy, "receivedBy", 64)
            .Require(at >= ShippedAt, "deliveredAt", "cannot be before the shipment left")
            .ThrowIfBroken();
        ReceivedBy = receivedBy.Trim();
        DeliveredAt = at;
    }
}

/// <summary>An invoice issued against an order (003 §3.4.1 开票).</summary>
/// <param name="Id">Chosen by the caller; issuing the same id again changes nothing.</param>
/// <param name="Number">The invoice number printed on it.</param>
/// <param name="Amount">Amount invoiced, more than zero.</param>
/// <param name="IssuedAt">When it was issued.</param>
public sealed record Invoice(Guid Id, string Number, decimal Amount, DateTimeOffset IssuedAt);

/// <summary>Money received for an order (003 §3.4.2 实际收款).</summary>
/// <param name="Id">Chosen by the caller; recording the same id again changes nothing.</param>
/// <param name="Amount">Amount received, more than zero.</param>
/// <param name="ReceivedOn">Value date.</param>
/// <param name="Reference">Bank or cashier reference, if any.</param>
/// <param name="Overpayment">Set when finance accepted that this receipt takes the total beyond what was invoiced.</param>
public sealed record Receipt(Guid Id, decimal Amount, DateOnly ReceivedOn, string? Reference, bool Overpayment);
