namespace Crm.Contracts.Customers;

/// <summary>One phone number of a contact.</summary>
/// <param name="Kind">Mobile, Office, Home or Fax.</param>
/// <param name="Number">As entered.</param>
public sealed record ContactPhoneData(string Kind, string Number);
