namespace Crm.Domain.Orders;

/// <summary>One line of an order (000 §3.4: a main product with its spec/model).</summary>
/// <param name="ProductCode">Catalogue code of the product.</param>
/// <param name="SpecModel">Specification or model, when the product has several.</param>
/// <param name="Quantity">Units ordered, at least one.</param>
/// <param name="UnitPrice">Price per unit before discount.</param>
/// <param name="Discount">Fraction taken off, from 0 (none) up to but excluding 1.</param>
public sealed record OrderItem(string ProductCode, string? SpecModel, int Quantity, decimal UnitPrice, decimal Discount)
{
    /// <summary>Amount of the line after discount, rounded to the cent.</summary>
    public decimal Amount => decimal.Round(Quantity * UnitPrice * (1 - Discount), 2, MidpointRounding.AwayFromZero);
}
