namespace Crm.Contracts.Customers;

/// <summary>Command: add a contact to a customer. Answered like <see cref="RegisterCustomer"/>; the same contact id again changes nothing.</summary>
/// <param name="CommandId">Identity of this command.</param>
/// <param name="ContactId">Identity of the new contact, chosen by the sender.</param>
/// <param name="CustomerId">The customer the contact works for.</param>
/// <param name="Details">Descriptive data.</param>
/// <param name="ReportsToId">The colleague the contact reports to, at the same customer.</param>
/// <param name="Actor">Who asked.</param>
public sealed record AddContact(Guid CommandId, Guid ContactId, Guid CustomerId, ContactData Details, Guid? ReportsToId, string Actor);
