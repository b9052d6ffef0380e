namespace Crm.Contracts.Customers;

/// <summary>Event: a customer was handed to another salesperson.</summary>
public sealed record CustomerOwnerAssigned(
    Guid CustomerId,
    string Code,
    string? PreviousOwnerSalespersonId,
    string OwnerSalespersonId,
    DateTimeOffset At,
    string Actor);
