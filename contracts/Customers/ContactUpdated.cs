namespace Crm.Contracts.Customers;

/// <summary>Event: a contact's data changed.</summary>
public sealed record ContactUpdated(
    Guid ContactId,
    Guid CustomerId,
    string Name,
    string? Email,
    IReadOnlyList<ContactPhoneData> Phones,
    DateOnly? Birthday,
    Guid? ReportsToId,
    long Version,
    DateTimeOffset At,
    string Actor);
