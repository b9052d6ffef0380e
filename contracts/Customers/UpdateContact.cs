namespace Crm.Contracts.Customers;

/// <summary>Command: replace a contact's descriptive data and whom they report to. Answered like <see cref="RegisterCustomer"/>.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="ContactId">The contact.</param>
/// <param name="Details">The new descriptive data.</param>
/// <param name="ReportsToId">The colleague the contact reports to; <c>null</c>: nobody.</param>
/// <param name="ExpectedVersion">The version the change was made from; another version refuses it.</param>
/// <param name="Actor">Who asked.</param>
public sealed record UpdateContact(Guid CommandId, Guid ContactId, ContactData Details, Guid? ReportsToId, long? ExpectedVersion, string Actor);
