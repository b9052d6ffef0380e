namespace Crm.Contracts.Orders;

/// <summary>Answer to <see cref="GetOrder"/> when no such order exists.</summary>
public sealed record OrderNotFound(Guid? OrderId, string? OrderNumber);
