using Hub.Adapters.Identity;
using Crm.Contracts.Customers;
using Crm.Domain.Customers;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Customers;

/// <summary>Body of <c>POST /api/v1/customers</c> and <c>PUT /api/v1/customers/{id}</c> (where id and owner are ignored).</summary>
public sealed record CustomerRequest(
    Guid? CustomerId,
    string? Code,
    string? Name,
    string? Kind,
    string? Industry,
    string? Region,
    string? Category,
    string? Address,
    string? Postcode,
    string? Phone,
    string? Fax,
    string? Website,
    string? Email,
    string? OwnerSalespersonId,
    IReadOnlyList<CustomerAttributeData>? Attributes,
    string? RegistrationNumber = null,
    string? BankAccount = null)
{
    /// <summary>The profile as the customers endpoint takes it.</summary>
    public CustomerProfileData ToProfile() =>
        new(Code ?? "", Name ?? "", Kind ?? "", Industry, Region, Category, Address, Postcode, Phone, Fax, Website, Email, RegistrationNumber, BankAccount);
}

/// <summary>Body of <c>PUT /api/v1/customers/{id}/owner</c>.</summary>
public sealed record OwnerRequest(string? OwnerSalespersonId);

/// <summary>Body of <c>PUT /api/v1/customers/{id}/grade</c>.</summary>
public sealed record GradeRequest(string? ValueGrade, string? CreditGrade);

/// <summary>Body of <c>POST /api/v1/customers/{id}/merge</c>: the duplicate to retire into the customer of the path.</summary>
public sealed record MergeRequest(Guid DuplicateId);

/// <summary>Body of <c>POST /api/v1/customers/{id}/contacts</c> and <c>PUT /api/v1/contacts/{id}</c>.</summary>
public sealed record ContactRequest(
    Guid? ContactId,
    string? Name,
    IReadOnlyList<ContactPhoneData>? Phones,
    string? Address,
    string? Department,
    string? Title,
    string? Interests,
    DateOnly? Birthday,
    string? Email,
    string? DecisionRole,
    Guid? ReportsToId)
{
    /// <summary>The details as the customers endpoint takes them.</summary>
    public ContactData ToData() => new(Name ?? "", Phones, Address, Department, Title, Interests, Birthday, Email, DecisionRole);
}

/// <summary>
/// A customer as the apps show it; <see cref="Version"/> is also its ETag. The sensitive fields (<see cref="CreditGrade"/>,
/// <see cref="RegistrationNumber"/>, <see cref="BankAccount"/>) are null for a caller without their permission.
/// </summary>
public sealed record CustomerView(
    Guid CustomerId,
    string Code,
    string Name,
    string Kind,
    string? Industry,
    string? Region,
    string? Category,
    string? Address,
    string? Postcode,
    string? Phone,
    string? Fax,
    string? Website,
    string? Email,
    string? OwnerSalespersonId,
    string ValueGrade,
    string? CreditGrade,
    IReadOnlyList<CustomerAttributeData> Attributes,
    DateTimeOffset RegisteredAt,
    Guid? MergedIntoId,
    long Version,
    string? RegistrationNumber = null,
    string? BankAccount = null)
{
    /// <summary>The view of a stored customer at <paramref name="version"/>.</summary>
    public static CustomerView Of(Customer c, long version, MobileCaller caller) => new(c.Id, c.Code, c.Name, c.Kind.ToString(), c.Industry, c.Region, c.Category,
        c.Address, c.Postcode, c.Phone, c.Fax, c.Website, c.Email, c.OwnerSalespersonId, c.ValueGrade.ToString(),
        caller.MaySee(SensitiveFields.CustomerCreditGrade) ? c.CreditGrade.ToString() : null,
        c.Attributes.Select(a => new CustomerAttributeData(a.Key, a.Value)).ToArray(), c.RegisteredAt, c.MergedIntoId, version,
        caller.MaySee(SensitiveFields.CustomerRegistrationNumber) ? c.RegistrationNumber : null,
        caller.MaySee(SensitiveFields.CustomerBankAccount) ? c.BankAccount : null);
}

/// <summary>A contact as the apps show it; <see cref="Version"/> is also its ETag.</summary>
public sealed record ContactView(
    Guid ContactId,
    Guid CustomerId,
    string Name,
    IReadOnlyList<ContactPhoneData> Phones,
    string? Address,
    string? Department,
    string? Title,
    string? Interests,
    DateOnly? Birthday,
    string? Email,
    string DecisionRole,
    Guid? ReportsToId,
    long Version)
{
    /// <summary>The view of a stored contact at <paramref name="version"/>.</summary>
    public static ContactView Of(Contact c, long version) => new(c.Id, c.CustomerId, c.Name,
        c.Phones.Select(p => new ContactPhoneData(p.Kind.ToString(), p.Number)).ToArray(), c.Address, c.Department, c.Title, c.Interests,
        c.Birthday, c.Email, c.DecisionRole.ToString(), c.ReportsToId, version);
}

/// <summary>A customer that may be the same party as another, and what matched.</summary>
public sealed record DuplicateView(CustomerView Customer, IReadOnlyList<string> Reasons);

/// <summary>
/// The call centre's screen pop (弹屏): the customers a caller number or typed name prefix finds, and the
/// contacts whose phone matched. No customers means "new customer".
/// </summary>
public sealed record ScreenPopView(string? CallerKey, string? NamePrefix, IReadOnlyList<CustomerView> Customers, IReadOnlyList<ContactView> Contacts);

/// <summary>A stored entity with its version, as read for a view.</summary>
internal sealed record Versioned<T>(T Entity, long Version);

/// <summary>Body of <c>POST /api/v1/customers/{id}/restore</c>.</summary>
public sealed record RestoreRequest(DateTimeOffset? AsOf);

/// <summary>One recorded change of a record: who, when, through what, before and after (JSON objects of its values).</summary>
public sealed record ChangeView(long Id, DateTime At, string Operation, string Actor, string Channel, Guid? MessageId, string? Note,
    System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After)
{
    /// <summary>The view of a stored change, without the <paramref name="hidden"/> fields the caller may not see (before and after).</summary>
    public static ChangeView Of(Hub.Persistence.History.EntityChange c, IReadOnlySet<string>? hidden = null) => new(c.Id,
        DateTime.SpecifyKind(c.At, DateTimeKind.Utc), c.Operation, c.Actor, c.Channel, c.MessageId, c.Note, Snapshot(c.Before, hidden), Snapshot(c.After, hidden));

    private static System.Text.Json.JsonElement? Snapshot(string? json, IReadOnlySet<string>? hidden) => json is null ? null
        : System.Text.Json.JsonSerializer.SerializeToElement(System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(json)!
            .Where(v => hidden?.Contains(v.Key) != true).ToDictionary());
}
