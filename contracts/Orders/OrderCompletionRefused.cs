namespace Crm.Contracts.Orders;

/// <summary>
/// Event: ERP refused the order's completion report (its sales order) for a business reason; the order waits in
/// <c>CompletionRefused</c> until someone resends the completion (<see cref="ResendOrderCompletion"/>) or the customer cancels.
/// Published once per refusal, so the owner is told once.
/// </summary>
public sealed record OrderCompletionRefused(Guid OrderId, string OrderNumber, string CustomerCode, string OwnerUserId, string Reason, DateTimeOffset RefusedAt);
