namespace Crm.Contracts.Customers;

/// <summary>The descriptive data of a customer as a command carries it (003 §3.1.1 客户基本信息).</summary>
/// <param name="Code">Customer code, unique, never changes.</param>
/// <param name="Name">Registered name.</param>
/// <param name="Kind">Direct, Dealer, Retailer, EndConsumer or GroupConsumer.</param>
/// <param name="Industry">Industry.</param>
/// <param name="Region">Region.</param>
/// <param name="Category">Classification.</param>
/// <param name="Address">Postal address.</param>
/// <param name="Postcode">Postcode.</param>
/// <param name="Phone">Main phone, as entered.</param>
/// <param name="Fax">Fax.</param>
/// <param name="Website">Web site.</param>
/// <param name="Email">Email.</param>
/// <param name="RegistrationNumber">Unified social credit code, business licence or ID card number (stored encrypted).</param>
/// <param name="BankAccount">Bank account for invoicing (stored encrypted).</param>
public sealed record CustomerProfileData(
    string Code,
    string Name,
    string Kind,
    string? Industry = null,
    string? Region = null,
    string? Category = null,
    string? Address = null,
    string? Postcode = null,
    string? Phone = null,
    string? Fax = null,
    string? Website = null,
    string? Email = null,
    string? RegistrationNumber = null,
    string? BankAccount = null);
