namespace Crm.Contracts.Orders;

/// <summary>Event: the order moved to another lifecycle state. Feeds push, timelines and the operations view.</summary>
public sealed record OrderStatusChanged(
    Guid OrderId,
    string OrderNumber,
    string OwnerUserId,
    string Status,
    string? Reason,
    DateTimeOffset OccurredAt);
