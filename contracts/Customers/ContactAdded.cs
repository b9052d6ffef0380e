namespace Crm.Contracts.Customers;

/// <summary>Event: a contact was added to a customer (birthday and email feed customer care).</summary>
public sealed record ContactAdded(
    Guid ContactId,
    Guid CustomerId,
    string Name,
    string? Email,
    IReadOnlyList<ContactPhoneData> Phones,
    DateOnly? Birthday,
    DateTimeOffset At,
    string Actor);
