namespace Crm.Contracts.Customers;

/// <summary>A free attribute of a customer (003 §3.1.1 属性).</summary>
/// <param name="Key">Name, unique per customer regardless of case.</param>
/// <param name="Value">Value.</param>
public sealed record CustomerAttributeData(string Key, string Value);
