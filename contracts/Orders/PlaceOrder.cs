namespace Crm.Contracts.Orders;

/// <summary>Command: accept an order a customer asked for. <see cref="OrderId"/> is chosen by the caller so a retry is idempotent.</summary>
public sealed record PlaceOrder(
    Guid OrderId,
    string CustomerCode,
    string OwnerUserId,
    IReadOnlyList<OrderLine> Lines,
    string? ContactEmail,
    string Channel,
    DateTimeOffset RequestedAt);
