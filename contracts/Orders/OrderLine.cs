namespace Crm.Contracts.Orders;

/// <summary>One line of an order: a product, its spec/model, quantity, unit price and discount (0..1).</summary>
public sealed record OrderLine(string ProductCode, string? SpecModel, int Quantity, decimal UnitPrice, decimal Discount = 0m);
