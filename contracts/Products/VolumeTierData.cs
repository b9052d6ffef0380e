namespace Crm.Contracts.Products;

/// <summary>A volume discount from a quantity on.</summary>
/// <param name="MinQuantity">First unit count the discount applies to.</param>
/// <param name="Discount">Fraction taken off.</param>
public sealed record VolumeTierData(int MinQuantity, decimal Discount);
