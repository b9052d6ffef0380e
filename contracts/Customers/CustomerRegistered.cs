namespace Crm.Contracts.Customers;

/// <summary>Event: a customer was registered.</summary>
public sealed record CustomerRegistered(
    Guid CustomerId,
    string Code,
    string Name,
    string Kind,
    string? OwnerSalespersonId,
    string? Region,
    string? Phone,
    string? Email,
    DateTimeOffset RegisteredAt,
    string Actor);
