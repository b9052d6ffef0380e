namespace Hub.Adapters;

/// <summary>
/// Idempotency keys sent to partners, derived from the business identity of the effect, so a
/// redelivered command, a restarted process or a retried call all present the same key.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>Key of the billing charge of an order, or of a work order (its id).</summary>
    public static string ChargeOf(Guid orderOrWorkOrderId) => $"charge-{orderOrWorkOrderId:N}";
    /// <summary>Key of the reversal of that charge.</summary>
    public static string ReversalOf(Guid orderOrWorkOrderId) => $"reversal-{orderOrWorkOrderId:N}";
    /// <summary>ERP document id of an order's sales order.</summary>
    public static string SalesOrderOf(Guid orderId) => $"so-{orderId:N}";
    /// <summary>ERP document id of the cancellation of an order's sales order.</summary>
    public static string SalesOrderCancellationOf(Guid orderId) => $"so-cancel-{orderId:N}";
    /// <summary>Document id of the ERP provisioning of a work order.</summary>
    public static string ProvisioningOf(Guid workOrderId) => $"prv-{workOrderId:N}";
    /// <summary>Document id of the release of a work order's ERP resources.</summary>
    public static string ReleaseOf(Guid workOrderId) => $"rel-{workOrderId:N}";
}
