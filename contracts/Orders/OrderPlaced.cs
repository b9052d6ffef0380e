namespace Crm.Contracts.Orders;

/// <summary>Event: the order was accepted and stored; its lifecycle saga starts here.</summary>
public sealed record OrderPlaced(
    Guid OrderId,
    string OrderNumber,
    string CustomerCode,
    string OwnerUserId,
    IReadOnlyList<OrderLine> Lines,
    decimal TotalAmount,
    string? ContactEmail,
    DateTimeOffset PlacedAt);
