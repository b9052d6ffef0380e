namespace Crm.Domain.Orders;

// What follows from the order commercially (003 §3.4: 发货、收款、开票、催款): partial deliveries,
// the payment plan with its reminders, invoices and receipts. These run beside the lifecycle.
public sealed partial class Order
{
    // The ERP learns of an order with its completion (the sales order), which archives and closes it at once: its warehouse
    // ships (and finance invoices) a closed order. Only orders not yet approved, or ended without completing, take none.
    private static readonly string[] ShippableStates =
        [OrderStatus.Approved, OrderStatus.Fulfilling, OrderStatus.Auditing, OrderStatus.Audited, OrderStatus.CompletionRefused, OrderStatus.Completed,
         OrderStatus.Archived, OrderStatus.Closed];

    private static readonly string[] InvoiceableStates = ShippableStates;

    /// <summary>Units of line <paramref name="lineIndex"/> shipped so far.</summary>
    public int ShippedQuantity(int lineIndex) => _shipments.Sum(s => s.Lines.Where(l => l.LineIndex == lineIndex).Sum(l => l.Quantity));

    /// <summary>
    /// Records a (partial) delivery. What has shipped of a line never exceeds what was ordered.
    /// A shipment id seen before returns that shipment unchanged, so a retry is harmless.
    /// </summary>
    public Shipment Ship(Guid shipmentId, IReadOnlyList<ShipmentLine> lines, DateTimeOffset at, string? carrierReference = null)
    {
        if (_shipments.FirstOrDefault(s => s.Id == shipmentId) is { } earlier)
            return earlier;
        var check = new RuleCheck()
            .Require(shipmentId != Guid.Empty, "shipmentId", "must not be empty")
            .Require(ShippableStates.Contains(Status), "status", $"an order in {Status} does not ship")
            .Require(lines is { Count: > 0 }, "lines", "a shipment carries at least one line")
            .OptionalText(carrierReference, "carrierReference", 64);
        for (var i = 0; i < (lines?.Count ?? 0); i++)
        {
            var line = lines![i];
            var known = line.LineIndex >= 0 && line.LineIndex < Items.Count;
            check.Require(known, $"lines[{i}].lineIndex", $"order {Number} has no line {line.LineIndex}")
                .Require(lines.Count(l => l.LineIndex == line.LineIndex) == 1, $"lines[{i}].lineIndex", "appears twice in the shipment")
                .Require(line.Quantity > 0, $"lines[{i}].quantity", "must be at least 1");
            if (known && line.Quantity > 0)
            {
                var remaining = Items[line.LineIndex].Quantity - ShippedQuantity(line.LineIndex);
                check.Require(line.Quantity <= remaining, $"lines[{i}].quantity", $"only {remaining} left to ship of line {line.LineIndex}");
            }
        }
        check.ThrowIfBroken();

        var shipment = Shipment.Create(shipmentId, Id, lines!, at, carrierReference);
        _shipments.Add(shipment);
        return shipment;
    }

    /// <summary>
    /// Records a (partial) delivery reported by product, as the ERP's warehouse reports it: each product's units go to the
    /// order's lines of that product, earliest line first, up to what is left to ship of each. A product the order does not
    /// hold, or more units than are left to ship of it, breaks the rule and records nothing. A shipment id seen before
    /// returns that shipment unchanged.
    /// </summary>
    public Shipment ShipProducts(Guid shipmentId, IReadOnlyList<ShippedProduct> products, DateTimeOffset at, string? carrierReference = null)
    {
        if (_shipments.FirstOrDefault(s => s.Id == shipmentId) is { } earlier)
            return earlier;
        var check = new RuleCheck().Require(products is { Count: > 0 }, "lines", "a shipment carries at least one line");
        var lines = new Dictionary<int, int>();
        for (var i = 0; i < (products?.Count ?? 0); i++)
        {
            var product = products![i];
            var matching = Enumerable.Range(0, Items.Count)
                .Where(l => string.Equals(Items[l].ProductCode, product.ProductCode?.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
            check.Require(product.Quantity > 0, $"lines[{i}].quantity", "must be at least 1")
                .Require(matching.Length > 0, $"lines[{i}].productCode", $"order {Number} has no line of product {product.ProductCode}");
            var left = product.Quantity;
            foreach (var line in matching)
            {
                var open = Items[line].Quantity - ShippedQuantity(line) - lines.GetValueOrDefault(line);
                var take = Math.Min(open, Math.Max(left, 0));
                if (take > 0)
                    lines[line] = lines.GetValueOrDefault(line) + take;
                left -= take;
            }
            if (matching.Length > 0 && product.Quantity > 0)
                check.Require(left <= 0, $"lines[{i}].quantity", $"only {product.Quantity - left} left to ship of product {product.ProductCode}");
        }
        check.ThrowIfBroken();
        return Ship(shipmentId, lines.OrderBy(l => l.Key).Select(l => new ShipmentLine(l.Key, l.Value)).ToArray(), at, carrierReference);
    }

    /// <summary>Records who signed for a shipment and when.</summary>
    public void ConfirmDelivery(Guid shipmentId, string receivedBy, DateTimeOffset at) =>
        (_shipments.FirstOrDefault(s => s.Id == shipmentId)
            ?? throw DomainRuleViolation.Of("shipmentId", $"order {Number} has no shipment {shipmentId}"))
        .ConfirmDelivery(receivedBy, at);

    /// <summary>Agrees (or replaces) the payment plan; its instalments must add up to the order total.</summary>
    public void PlanPayments(IReadOnlyList<Instalment> instalments)
    {
        new RuleCheck().Require(!OrderLifecycle.Default.IsFinal(Status), "status", $"an order in {Status} takes no payment plan").ThrowIfBroken();
        PaymentPlan.Validate(instalments, TotalAmount);
        _instalments.Clear();
        _instalments.AddRange(instalments);
    }

    /// <summary>The payment reminders due on <paramref name="today"/>, <paramref name="daysBefore"/> days ahead of each uncovered instalment.</summary>
    public IReadOnlyList<PaymentReminder> PaymentRemindersDue(DateOnly today, int daysBefore) =>
        PaymentPlan.RemindersDue(_instalments, ReceivedAmount, today, daysBefore);

    /// <summary>Issues an invoice; all invoices together never exceed the order total. The same id again changes nothing.</summary>
    public Invoice IssueInvoice(Guid invoiceId, string invoiceNumber, decimal amount, DateTimeOffset at)
    {
        if (_invoices.FirstOrDefault(i => i.Id == invoiceId) is { } earlier)
            return earlier;
        new RuleCheck()
            .Require(invoiceId != Guid.Empty, "invoiceId", "must not be empty")
            .RequireText(invoiceNumber, "invoiceNumber", 32)
            .Require(!_invoices.Any(i => string.Equals(i.Number, invoiceNumber?.Trim(), StringComparison.OrdinalIgnoreCase)), "invoiceNumber", "was already issued on this order")
            .Require(InvoiceableStates.Contains(Status), "status", $"an order in {Status} is not invoiced")
            .Require(amount > 0 && amount == decimal.Round(amount, 2), "amount", "must be more than zero, in whole cents")
            .Require(InvoicedAmount + amount <= TotalAmount, "amount", $"only {TotalAmount - InvoicedAmount} is left to invoice")
            .ThrowIfBroken();
        var invoice = new Invoice(invoiceId, invoiceNumber.Trim(), amount, at);
        _invoices.Add(invoice);
        return invoice;
    }

    /// <summary>
    /// Records money received. Receipts together never exceed what was invoiced, unless finance
    /// flags this receipt as an accepted <paramref name="overpayment"/>. The same id again changes nothing.
    /// </summary>
    public Receipt RecordReceipt(Guid receiptId, decimal amount, DateOnly receivedOn, string? reference = null, bool overpayment = false)
    {
        if (_receipts.FirstOrDefault(r => r.Id == receiptId) is { } earlier)
            return earlier;
        new RuleCheck()
            .Require(receiptId != Guid.Empty, "receiptId", "must not be empty")
            .Require(amount > 0 && amount == decimal.Round(amount, 2), "amount", "must be more than zero, in whole cents")
            .Require(overpayment || ReceivedAmount + amount <= InvoicedAmount, "amount",
                $"only {Math.Max(InvoicedAmount - ReceivedAmount, 0)} is invoiced and unpaid; flag an accepted overpayment explicitly")
            .OptionalText(reference, "reference", 64)
            .ThrowIfBroken();
        var receipt = new Receipt(receiptId, amount, receivedOn, reference?.Trim(), overpayment);
        _receipts.Add(receipt);
        return receipt;
    }
}
