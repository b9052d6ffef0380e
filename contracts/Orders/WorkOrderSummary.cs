namespace Crm.Contracts.Orders;

/// <summary>A work order (业务处理单) of an order: one main product line, billed and provisioned on its own.</summary>
public sealed record WorkOrderSummary(Guid WorkOrderId, string Number, int LineIndex, string ProductCode, int Quantity, string Status,
    string? ChargeReference, string? ResourceReference, string? FailureReason);
