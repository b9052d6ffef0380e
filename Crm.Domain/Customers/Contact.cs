namespace Crm.Domain.Customers;

/// <summary>A contact's say in the customer's buying decisions (003 §3.1.3: 在组织中的决定地位).</summary>
public enum DecisionRole
{
    /// <summary>Not known yet.</summary>
    Unknown,
    /// <summary>Decides.</summary>
    DecisionMaker,
    /// <summary>Sways the decision.</summary>
    Influencer,
    /// <summary>Evaluates offers technically or commercially.</summary>
    Evaluator,
    /// <summary>Uses the product; little say.</summary>
    User,
    /// <summary>Controls access to the decision makers.</summary>
    Gatekeeper,
}

/// <summary>What a phone number of a contact reaches.</summary>
public enum PhoneKind
{
    /// <summary>Mobile.</summary>
    Mobile,
    /// <summary>Office line.</summary>
    Office,
    /// <summary>Home.</summary>
    Home,
    /// <summary>Fax.</summary>
    Fax,
}

/// <summary>One phone number of a contact.</summary>
/// <param name="Kind">What it reaches.</param>
/// <param name="Number">As entered.</param>
public sealed record ContactPhone(PhoneKind Kind, string Number);

/// <summary>The descriptive data of a contact (003 §3.1.3 联系人信息), as entered or updated.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Phones">Phone numbers, at most five.</param>
/// <param name="Address">Postal address.</param>
/// <param name="Department">Department (部门).</param>
/// <param name="Title">Job title (职务).</param>
/// <param name="Interests">Interests and hobbies (兴趣爱好), for customer care.</param>
/// <param name="Birthday">Birthday, for the monthly reminder.</param>
/// <param name="Email">Email, for group mailings.</param>
/// <param name="DecisionRole">Say in buying decisions.</param>
public sealed record ContactDetails(
    string Name,
    IReadOnlyList<ContactPhone>? Phones = null,
    string? Address = null,
    string? Department = null,
    string? Title = null,
    string? Interests = null,
    DateOnly? Birthday = null,
    string? Email = null,
    DecisionRole DecisionRole = DecisionRole.Unknown);

/// <summary>
/// A person at a customer (003 §3.1.3 联系人信息及关系管理): details, whom they report to, and their
/// say in decisions. Its own record pointing at its customer, so a customer merge re-points it.
/// </summary>
public sealed class Contact
{
    /// <summary>Most phone numbers per contact.</summary>
    public const int MaxPhones = 5;

    private readonly List<ContactPhone> _phones = [];

    private Contact() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>The customer the contact works for.</summary>
    public Guid CustomerId { get; private set; }

    /// <summary>Full name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Phone numbers as entered.</summary>
    public IReadOnlyList<ContactPhone> Phones => _phones;

    /// <summary>Postal address.</summary>
    public string? Address { get; private set; }

    /// <summary>Department.</summary>
    public string? Department { get; private set; }

    /// <summary>Job title.</summary>
    public string? Title { get; private set; }

    /// <summary>Interests and hobbies.</summary>
    public string? Interests { get; private set; }

    /// <summary>Birthday.</summary>
    public DateOnly? Birthday { get; private set; }

    /// <summary>Email.</summary>
    public string? Email { get; private set; }

    /// <summary>Say in buying decisions.</summary>
    public DecisionRole DecisionRole { get; private set; }

    /// <summary>The contact this one reports to (上下级关系), at the same customer.</summary>
    public Guid? ReportsToId { get; private set; }

    /// <summary>Adds a contact to a customer, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static Contact Add(Guid id, Guid customerId, ContactDetails details)
    {
        Check(new RuleCheck()
                .Require(id != Guid.Empty, "contactId", "must not be empty")
                .Require(customerId != Guid.Empty, "customerId", "must not be empty"), details)
            .ThrowIfBroken();
        var contact = new Contact { Id = id, CustomerId = customerId };
        contact.Apply(details);
        return contact;
    }

    /// <summary>Replaces the descriptive data.</summary>
    public void Update(ContactDetails details)
    {
        Check(new RuleCheck(), details).ThrowIfBroken();
        Apply(details);
    }

    /// <summary>
    /// Sets whom this contact reports to (<c>null</c>: nobody). The manager must work for the same
    /// customer, and the chain upwards, as <paramref name="colleagues"/> records it, must not lead back here.
    /// </summary>
    public void ReportTo(Contact? manager, IEnumerable<Contact> colleagues)
    {
        if (manager is null)
        {
            ReportsToId = null;
            return;
        }
        var reportsTo = colleagues.Append(manager).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Last().ReportsToId);
        var seen = new HashSet<Guid>();
        var cycle = false;
        for (Guid? at = manager.Id; at is { } current && seen.Add(current); at = reportsTo.GetValueOrDefault(current))
            cycle |= current == Id;
        new RuleCheck()
            .Require(manager.CustomerId == CustomerId, "reportsToId", "the manager must work for the same customer")
            .Require(!cycle, "reportsToId", "would make the contact report to themselves")
            .ThrowIfBroken();
        ReportsToId = manager.Id;
    }

    /// <summary>Moves the contact to another customer: used when a duplicate customer is merged into its survivor.</summary>
    public void MoveToCustomer(Guid customerId)
    {
        new RuleCheck().Require(customerId != Guid.Empty, "customerId", "must not be empty").ThrowIfBroken();
        CustomerId = customerId;
    }

    /// <summary>Screen-pop keys of the contact's phones (<see cref="PhoneNumber.Normalise"/>), without blanks.</summary>
    public IEnumerable<string> PhoneKeys() => _phones.Select(p => PhoneNumber.Normalise(p.Number)).Where(k => k.Length > 0);

    /// <summary>
    /// The contacts whose birthday falls in <paramref name="month"/> (003 §3.8: 本月过生日的联系人的提醒),
    /// by day of the month then name. A pure query over whatever collection the caller loaded.
    /// </summary>
    public static IReadOnlyList<Contact> BirthdaysIn(IEnumerable<Contact> contacts, int month)
    {
        new RuleCheck().Require(month is >= 1 and <= 12, "month", "must be from 1 to 12").ThrowIfBroken();
        return contacts
            .Where(c => c.Birthday?.Month == month)
            .OrderBy(c => c.Birthday!.Value.Day)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.Id)
            .ToArray();
    }

    private static RuleCheck Check(RuleCheck check, ContactDetails details)
    {
        check.Require(details is not null, "details", "is required");
        if (details is null)
            return check;
        check.RequireText(details.Name, "name", 100)
            .Require(details.Phones is null || details.Phones.Count <= MaxPhones, "phones", $"at most {MaxPhones} phone numbers")
            .OptionalText(details.Address, "address", 300)
            .OptionalText(details.Department, "department", 100)
            .OptionalText(details.Title, "title", 100)
            .OptionalText(details.Interests, "interests", 500)
            .Require(details.Birthday is null || details.Birthday.Value.Year >= 1900, "birthday", "is not a plausible birthday")
            .Require(string.IsNullOrWhiteSpace(details.Email) || ContactFormats.IsPlausibleEmail(details.Email.Trim()), "email", "is not an email address")
            .Require(Enum.IsDefined(details.DecisionRole), "decisionRole", "is not a known role");
        for (var i = 0; i < (details.Phones?.Count ?? 0); i++)
        {
            var phone = details.Phones![i];
            check.Require(phone is not null && Enum.IsDefined(phone.Kind), $"phones[{i}].kind", "is not a known kind of phone")
                .Require(phone is not null && ContactFormats.IsPlausiblePhone(phone.Number?.Trim() ?? ""), $"phones[{i}].number", "is not a phone number");
        }
        return check;
    }

    private void Apply(ContactDetails details)
    {
        Name = Text.CollapseWhitespace(details.Name);
        _phones.Clear();
        _phones.AddRange((details.Phones ?? []).Select(p => p with { Number = p.Number.Trim() }));
        Address = CustomerProfile.Tidy(details.Address);
        Department = CustomerProfile.Tidy(details.Department);
        Title = CustomerProfile.Tidy(details.Title);
        Interests = CustomerProfile.Tidy(details.Interests);
        Birthday = details.Birthday;
        Email = CustomerProfile.Tidy(details.Email);
        DecisionRole = details.DecisionRole;
    }
}
