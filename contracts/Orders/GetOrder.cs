namespace Crm.Contracts.Orders;

/// <summary>Query: an order by id or by number (exactly one of them). Answered with <see cref="OrderDetails"/> or <see cref="OrderNotFound"/>.</summary>
public sealed record GetOrder(Guid? OrderId, string? OrderNumber);
