namespace Crm.Contracts.Orders;

/// <summary>
/// Event: an order is above the approval threshold and waits for a manager of its owner's region. The web host, which knows
/// the staff, turns it into an <c>ApprovalRequested</c> per manager who may approve it.
/// </summary>
public sealed record OrderApprovalRequired(Guid OrderId, string OrderNumber, string CustomerCode, string OwnerUserId, decimal TotalAmount, DateTimeOffset RequestedAt);
