namespace Crm.Domain.Orders;

/// <summary>Progress of a work order: billing and provisioning run in parallel, in either order.</summary>
public enum WorkOrderStatus
{
    /// <summary>Neither billed nor provisioned yet.</summary>
    Pending,
    /// <summary>Billed; provisioning still outstanding.</summary>
    Billed,
    /// <summary>Provisioned; billing still outstanding.</summary>
    Provisioned,
    /// <summary>Billed and provisioned.</summary>
    Succeeded,
    /// <summary>Billing or provisioning failed.</summary>
    Failed,
}

/// <summary>
/// A 业务处理单 (000 §3.4): the part of an order for one main product line, billed (计费) and
/// provisioned (业务资源处理) on its own. Changed only through its <see cref="Order"/>.
/// </summary>
public sealed class WorkOrder
{
    private WorkOrder() { }

    /// <summary>Derived from the order id and the line, so a retried decomposition yields the same ids.</summary>
    public Guid Id { get; private set; }

    /// <summary>The order it belongs to.</summary>
    public Guid OrderId { get; private set; }

    /// <summary>Business number: the order number and the line, e.g. <c>SO0B9F3C5E1D2A-01</c>.</summary>
    public string Number { get; private set; } = "";

    /// <summary>Index of the order line it carries out (0-based, as in <see cref="Order.Items"/>).</summary>
    public int LineIndex { get; private set; }

    /// <summary>The main product.</summary>
    public string ProductCode { get; private set; } = "";

    /// <summary>Specification or model of the product, if any.</summary>
    public string? SpecModel { get; private set; }

    /// <summary>Units ordered on the line.</summary>
    public int Quantity { get; private set; }

    /// <summary>Where billing and provisioning stand.</summary>
    public WorkOrderStatus Status { get; private set; }

    /// <summary>Billing's reference for the charge, once billed (kept even after a failure, so compensation can reverse it).</summary>
    public string? ChargeReference { get; private set; }

    /// <summary>When billing confirmed.</summary>
    public DateTimeOffset? BilledAt { get; private set; }

    /// <summary>Provisioning's reference for the allocated resources, once provisioned.</summary>
    public string? ResourceReference { get; private set; }

    /// <summary>When provisioning confirmed.</summary>
    public DateTimeOffset? ProvisionedAt { get; private set; }

    /// <summary>Why billing or provisioning failed.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Whether both branches are done.</summary>
    public bool IsSucceeded => Status == WorkOrderStatus.Succeeded;

    internal static WorkOrder For(Order order, int lineIndex)
    {
        var item = order.Items[lineIndex];
        return new WorkOrder
        {
            Id = DerivedId.From(order.Id, $"work-order/{lineIndex}"),
            OrderId = order.Id,
            Number = $"{order.Number}-{lineIndex + 1:00}",
            LineIndex = lineIndex,
            ProductCode = item.ProductCode,
            SpecModel = item.SpecModel,
            Quantity = item.Quantity,
            Status = WorkOrderStatus.Pending,
        };
    }

    /// <summary>Records the charge; the same reference again is a redelivery and changes nothing.</summary>
    internal void RecordBilled(string chargeReference, DateTimeOffset at)
    {
        new RuleCheck().RequireText(chargeReference, "chargeReference", 64)
            .Require(ChargeReference is null || ChargeReference == chargeReference.Trim(), "chargeReference", $"work order {Number} was already billed as {ChargeReference}")
            .ThrowIfBroken();
        if (ChargeReference is not null)
            return;
        ChargeReference = chargeReference.Trim();
        BilledAt = at;
        Status = Next();
    }

    /// <summary>Records the provisioned resources; the same reference again changes nothing.</summary>
    internal void RecordProvisioned(string resourceReference, DateTimeOffset at)
    {
        new RuleCheck().RequireText(resourceReference, "resourceReference", 64)
            .Require(ResourceReference is null || ResourceReference == resourceReference.Trim(), "resourceReference", $"work order {Number} was already provisioned as {ResourceReference}")
            .ThrowIfBroken();
        if (ResourceReference is not null)
            return;
        ResourceReference = resourceReference.Trim();
        ProvisionedAt = at;
        Status = Next();
    }

    internal void RecordFailure(string reason)
    {
        new RuleCheck().RequireText(reason, "reason", 500)
            .Require(Status != WorkOrderStatus.Succeeded, "workOrderId", $"work order {Number} already succeeded")
            .ThrowIfBroken();
        FailureReason ??= reason.Trim();
        Status = WorkOrderStatus.Failed;
    }

    // A failed work order stays failed: late confirmations are recorded only so they can be undone.
    private WorkOrderStatus Next() => Status == WorkOrderStatus.Failed
        ? WorkOrderStatus.Failed
        : (ChargeReference, ResourceReference) switch
        {
            (not null, not null) => WorkOrderStatus.Succeeded,
            (not null, null) => WorkOrderStatus.Billed,
            (null, not null) => WorkOrderStatus.Provisioned,
            _ => WorkOrderStatus.Pending,
        };
}
