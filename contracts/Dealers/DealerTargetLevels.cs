namespace Crm.Contracts.Dealers;

/// <summary>One tier of a dealer target: units (台量), sales amount (销售额), receipts (回款额).</summary>
public sealed record DealerTargetLevels(int Units, decimal SalesAmount, decimal Receipts);
