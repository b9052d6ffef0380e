namespace Crm.Contracts.Customers;

/// <summary>Event: a customer's descriptive data or attributes changed.</summary>
public sealed record CustomerProfileChanged(
    Guid CustomerId,
    string Code,
    string Name,
    string Kind,
    string? Region,
    string? Phone,
    string? Email,
    long Version,
    DateTimeOffset ChangedAt,
    string Actor);
