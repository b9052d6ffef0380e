namespace Crm.Domain.Customers;

/// <summary>
/// A customer (003 §3.1): direct customers, dealers, retailers and consumers alike, told apart by
/// <see cref="Kind"/>. Keeps comparison keys of its name and phone for duplicate checks and the
/// call centre's screen pop. A customer merged into another is kept, retired, pointing at its survivor.
/// </summary>
public sealed class Customer
{
    /// <summary>Most free attributes per customer.</summary>
    public const int MaxAttributes = 50;

    private readonly List<CustomerAttribute> _attributes = [];

    private Customer() { }

    /// <summary>Identity chosen by the caller, which makes a retried registration idempotent.</summary>
    public Guid Id { get; private set; }

    /// <summary>Customer code (客户编码); orders refer to it. It never changes.</summary>
    public string Code { get; private set; } = "";

    /// <summary>Registered name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>What kind of party it is.</summary>
    public CustomerKind Kind { get; private set; }

    /// <summary>Industry (行业).</summary>
    public string? Industry { get; private set; }

    /// <summary>Region (地域).</summary>
    public string? Region { get; private set; }

    /// <summary>Classification (分类).</summary>
    public string? Category { get; private set; }

    /// <summary>Postal address.</summary>
    public string? Address { get; private set; }

    /// <summary>Postcode.</summary>
    public string? Postcode { get; private set; }

    /// <summary>Main phone, as entered.</summary>
    public string? Phone { get; private set; }

    /// <summary>Fax, as entered.</summary>
    public string? Fax { get; private set; }

    /// <summary>Web site.</summary>
    public string? Website { get; private set; }

    /// <summary>Email.</summary>
    public string? Email { get; private set; }

    /// <summary>Registration number for invoicing (统一社会信用代码, business licence or ID card number); sensitive.</summary>
    public string? RegistrationNumber { get; private set; }

    /// <summary>Bank account for invoicing (银行账号); sensitive.</summary>
    public string? BankAccount { get; private set; }

    /// <summary>Free attributes (属性), unique by key regardless of case.</summary>
    public IReadOnlyList<CustomerAttribute> Attributes => _attributes;

    /// <summary>The salesperson who owns the customer.</summary>
    public string? OwnerSalespersonId { get; private set; }

    /// <summary>What the customer is worth to us.</summary>
    public ValueGrade ValueGrade { get; private set; }

    /// <summary>How far the customer may be trusted to pay.</summary>
    public CreditGrade CreditGrade { get; private set; }

    /// <summary><see cref="CustomerName.Normalise"/> of the name: stored so that duplicate searches can use an index.</summary>
    public string NameKey { get; private set; } = "";

    /// <summary><see cref="PhoneNumber.Normalise"/> of the phone ("" without one): the screen-pop lookup key.</summary>
    public string PhoneKey { get; private set; } = "";

    /// <summary>When the customer was registered.</summary>
    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>The survivor this customer was merged into; set, the customer is retired.</summary>
    public Guid? MergedIntoId { get; private set; }

    /// <summary>When it was merged.</summary>
    public DateTimeOffset? MergedAt { get; private set; }

    /// <summary>Whether the customer was merged away.</summary>
    public bool IsRetired => MergedIntoId is not null;

    /// <summary>Whether this customer is a dealer (003 §3.2.1).</summary>
    public bool IsDealer => Kind == CustomerKind.Dealer;

    /// <summary>Registers a customer, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static Customer Register(Guid id, CustomerProfile profile, string? ownerSalespersonId, DateTimeOffset now)
    {
        var check = new RuleCheck()
            .Require(id != Guid.Empty, "customerId", "must not be empty")
            .Require(profile is not null, "profile", "is required")
            .OptionalText(ownerSalespersonId, "ownerSalespersonId", 64);
        profile?.CheckInto(check);
        check.ThrowIfBroken();

        var customer = new Customer
        {
            Id = id,
            Code = profile!.Code.Trim(),
            Kind = profile.Kind,
            OwnerSalespersonId = CustomerProfile.Tidy(ownerSalespersonId),
            RegisteredAt = now,
        };
        customer.Apply(profile);
        return customer;
    }

    /// <summary>Replaces the descriptive data; the code stays what it was.</summary>
    public void UpdateProfile(CustomerProfile profile)
    {
        var check = new RuleCheck().Require(profile is not null, "profile", "is required");
        profile?.CheckInto(check);
        check.Require(profile is null || string.Equals(profile.Code?.Trim(), Code, StringComparison.Ordinal), "code", "a customer's code never changes");
        RequireActive(check).ThrowIfBroken();
        Kind = profile!.Kind;
        Apply(profile);
    }

    /// <summary>Sets an attribute, replacing one with the same key.</summary>
    public void SetAttribute(string key, string value)
    {
        var existing = _attributes.FindIndex(a => string.Equals(a.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
        RequireActive(new RuleCheck()
                .RequireText(key, "key", 64)
                .Require(value is not null && value.Trim().Length <= 500, "value", "is required, at most 500 characters")
                .Require(existing >= 0 || _attributes.Count < MaxAttributes, "key", $"at most {MaxAttributes} attributes per customer"))
            .ThrowIfBroken();
        var attribute = new CustomerAttribute(key!.Trim(), value!.Trim());
        if (existing >= 0)
            _attributes[existing] = attribute;
        else
            _attributes.Add(attribute);
    }

    /// <summary>Removes the attribute with <paramref name="key"/>, if any.</summary>
    public void RemoveAttribute(string key) =>
        _attributes.RemoveAll(a => string.Equals(a.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Hands the customer to another salesperson.</summary>
    public void AssignOwner(string salespersonId)
    {
        RequireActive(new RuleCheck().RequireText(salespersonId, "ownerSalespersonId", 64)).ThrowIfBroken();
        OwnerSalespersonId = salespersonId.Trim();
    }

    /// <summary>Records the value and credit grades.</summary>
    public void Grade(ValueGrade valueGrade, CreditGrade creditGrade)
    {
        RequireActive(new RuleCheck()
                .Require(Enum.IsDefined(valueGrade), "valueGrade", "is not a known grade")
                .Require(Enum.IsDefined(creditGrade), "creditGrade", "is not a known grade"))
            .ThrowIfBroken();
        ValueGrade = valueGrade;
        CreditGrade = creditGrade;
    }

    /// <summary>
    /// Takes in what a merge plan gives the survivor: the unioned attributes and the profile fields
    /// it lacked. Called on the survivor of <paramref name="plan"/>.
    /// </summary>
    public void Absorb(CustomerMergePlan plan)
    {
        RequireActive(new RuleCheck().Require(plan.SurvivorId == Id, "survivorId", "this customer is not the plan's survivor")).ThrowIfBroken();
        _attributes.Clear();
        _attributes.AddRange(plan.Attributes);
        foreach (var (field, value) in plan.FilledFields)
        {
            switch (field)
            {
                case nameof(Industry): Industry = value; break;
                case nameof(Region): Region = value; break;
                case nameof(Category): Category = value; break;
                case nameof(Address): Address = value; break;
                case nameof(Postcode): Postcode = value; break;
                case nameof(Phone): Phone = value; PhoneKey = PhoneNumber.Normalise(value); break;
                case nameof(Fax): Fax = value; break;
                case nameof(Website): Website = value; break;
                case nameof(Email): Email = value; break;
                case nameof(RegistrationNumber): RegistrationNumber = value; break;
                case nameof(BankAccount): BankAccount = value; break;
                case nameof(OwnerSalespersonId): OwnerSalespersonId = value; break;
            }
        }
    }

    /// <summary>Retires this customer into the survivor of <paramref name="plan"/>. Called on the plan's duplicate.</summary>
    public void RetireInto(CustomerMergePlan plan)
    {
        if (MergedIntoId == plan.SurvivorId)
            return;
        RequireActive(new RuleCheck().Require(plan.DuplicateId == Id, "duplicateId", "this customer is not the plan's duplicate")).ThrowIfBroken();
        MergedIntoId = plan.SurvivorId;
        MergedAt = plan.Merged.At;
    }

    private void Apply(CustomerProfile profile)
    {
        Name = Text.CollapseWhitespace(profile.Name);
        Industry = CustomerProfile.Tidy(profile.Industry);
        Region = CustomerProfile.Tidy(profile.Region);
        Category = CustomerProfile.Tidy(profile.Category);
        Address = CustomerProfile.Tidy(profile.Address);
        Postcode = CustomerProfile.Tidy(profile.Postcode);
        Phone = CustomerProfile.Tidy(profile.Phone);
        Fax = CustomerProfile.Tidy(profile.Fax);
        Website = CustomerProfile.Tidy(profile.Website);
        Email = CustomerProfile.Tidy(profile.Email);
        RegistrationNumber = CustomerProfile.Tidy(profile.RegistrationNumber)?.ToUpperInvariant();
        BankAccount = CustomerProfile.Tidy(profile.BankAccount);
        NameKey = CustomerName.Normalise(Name);
        PhoneKey = PhoneNumber.Normalise(Phone);
    }

    private RuleCheck RequireActive(RuleCheck check) =>
        check.Require(!IsRetired, "customerId", $"customer {Code} was merged into {MergedIntoId} and takes no changes");
}
