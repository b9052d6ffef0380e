using Hub.Infrastructure;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;

namespace Hub.Endpoints.Customers;

/// <summary>Between the wire's customer and contact records and the domain's.</summary>
internal static class CustomerMapping
{
    public static CustomerProfile ToProfile(CustomerProfileData p) => p is null ? null! : new(p.Code, p.Name, EnumNames.ParseOrUnknown<CustomerKind>(p.Kind),
        p.Industry, p.Region, p.Category, p.Address, p.Postcode, p.Phone, p.Fax, p.Website, p.Email, p.RegistrationNumber, p.BankAccount);

    public static ContactDetails ToDetails(ContactData d) => d is null ? null! : new(d.Name,
        d.Phones?.Select(p => p is null ? null! : new ContactPhone(EnumNames.ParseOrUnknown<PhoneKind>(p.Kind), p.Number)).ToArray(),
        d.Address, d.Department, d.Title, d.Interests, d.Birthday, d.Email,
        string.IsNullOrWhiteSpace(d.DecisionRole) ? DecisionRole.Unknown : EnumNames.ParseOrUnknown<DecisionRole>(d.DecisionRole));

    public static IReadOnlyList<ContactPhoneData> ToData(IEnumerable<ContactPhone> phones) =>
        phones.Select(p => new ContactPhoneData(p.Kind.ToString(), p.Number)).ToArray();

    /// <summary>
    /// Replaces the customer's attributes with <paramref name="attributes"/>; broken rules are reported as
    /// <c>attributes[i].key</c> / <c>attributes[i].value</c>, all of them at once.
    /// </summary>
    public static void ReplaceAttributes(Customer customer, IReadOnlyList<CustomerAttributeData> attributes)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var stale in customer.Attributes.Where(a => !attributes.Any(n => n is not null && string.Equals(n.Key?.Trim(), a.Key, StringComparison.OrdinalIgnoreCase))).ToArray())
            customer.RemoveAttribute(stale.Key);
        for (var i = 0; i < attributes.Count; i++)
        {
            try
            {
                if (attributes[i] is null)
                    throw DomainRuleViolation.Of("key", "is required");
                customer.SetAttribute(attributes[i].Key, attributes[i].Value);
            }
            catch (DomainRuleViolation violation)
            {
                foreach (var (field, messages) in violation.Errors)
                    errors[$"attributes[{i}].{field}"] = messages;
            }
        }
        if (errors.Count > 0)
            throw new DomainRuleViolation(errors);
    }
}
