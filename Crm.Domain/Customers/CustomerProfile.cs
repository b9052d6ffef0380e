namespace Crm.Domain.Customers;

/// <summary>The descriptive data of a customer (003 §3.1.1 客户基本信息), as entered or updated.</summary>
/// <param name="Code">Customer code (客户编码), unique, at most 32 characters.</param>
/// <param name="Name">Registered name.</param>
/// <param name="Kind">What kind of party it is.</param>
/// <param name="Industry">Industry (行业).</param>
/// <param name="Region">Region (地域).</param>
/// <param name="Category">Free classification (分类) used by sales management.</param>
/// <param name="Address">Postal address.</param>
/// <param name="Postcode">Postcode.</param>
/// <param name="Phone">Main phone; also the screen-pop key.</param>
/// <param name="Fax">Fax.</param>
/// <param name="Website">Web site.</param>
/// <param name="Email">Email.</param>
/// <param name="RegistrationNumber">Unified social credit code, business licence number or, for a consumer, ID card number (invoicing).</param>
/// <param name="BankAccount">Bank account invoices are paid from (银行账号), with the bank's name if wanted.</param>
public sealed record CustomerProfile(
    string Code,
    string Name,
    CustomerKind Kind,
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
    string? BankAccount = null)
{
    /// <summary>Collects every broken rule of the profile into <paramref name="check"/>.</summary>
    internal RuleCheck CheckInto(RuleCheck check) => check
        .Require(!string.IsNullOrWhiteSpace(Code) && Code.Trim().Length <= 32 && Code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
            "code", "is required: at most 32 letters, digits, '-' or '_'")
        .RequireText(Name, "name", 200)
        .Require(Enum.IsDefined(Kind), "kind", "is not a known kind of customer")
        .OptionalText(Industry, "industry", 64)
        .OptionalText(Region, "region", 64)
        .OptionalText(Category, "category", 64)
        .OptionalText(Address, "address", 300)
        .Require(Blank(Postcode) || ContactFormats.IsPlausiblePostcode(Postcode!.Trim()), "postcode", "is not a postcode")
        .Require(Blank(Phone) || ContactFormats.IsPlausiblePhone(Phone!.Trim()), "phone", "is not a phone number")
        .Require(Blank(Fax) || ContactFormats.IsPlausiblePhone(Fax!.Trim()), "fax", "is not a fax number")
        .Require(Blank(Website) || ContactFormats.IsPlausibleWebsite(Website!.Trim()), "website", "is not a web address")
        .Require(Blank(Email) || ContactFormats.IsPlausibleEmail(Email!.Trim()), "email", "is not an email address")
        .Require(Blank(RegistrationNumber) || ContactFormats.IsPlausibleRegistrationNumber(RegistrationNumber!.Trim()), "registrationNumber",
            "is not a registration number: 8 to 30 letters, digits or '-'")
        .Require(Blank(BankAccount) || ContactFormats.IsPlausibleBankAccount(BankAccount!.Trim()), "bankAccount",
            "is not a bank account: 8 to 34 letters and digits (spaces or '-' between groups)");

    internal static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    internal static string? Tidy(string? value) => Blank(value) ? null : value!.Trim();
}
