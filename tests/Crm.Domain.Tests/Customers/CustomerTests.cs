using Crm.Domain.Customers;

namespace Crm.Domain.Tests.Customers;

public class CustomerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    private static Customer Register(string code, string name, string? phone = null, CustomerKind kind = CustomerKind.Direct, DateTimeOffset? at = null,
        Guid? id = null) =>
        Customer.Register(id ?? Guid.NewGuid(), new CustomerProfile(code, name, kind, Phone: phone), "sales-li", at ?? Now);

    [Fact]
    public void Registration_keeps_the_profile_and_its_comparison_keys()
    {
        var customer = Customer.Register(Guid.NewGuid(),
            new CustomerProfile("C1001", "  北京华信科技   有限公司 ", CustomerKind.GroupConsumer, "telecom", "华北", "key", "朝阳区建国路 88 号", "100022",
                "+86 (010) 6552-1234", "010-6552 1235", "www.huaxin.cn", "info@huaxin.cn"), "sales-li", Now);

        Assert.Equal("北京华信科技 有限公司", customer.Name);
        Assert.Equal("北京华信科技", customer.NameKey);
        Assert.Equal("1065521234", customer.PhoneKey);
        Assert.Equal(CustomerKind.GroupConsumer, customer.Kind);
        Assert.Equal("sales-li", customer.OwnerSalespersonId);
        Assert.False(customer.IsDealer);
    }

    [Fact]
    public void Every_broken_customer_rule_is_reported_by_field()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => Customer.Register(Guid.Empty,
            new CustomerProfile("C 1", "", (CustomerKind)42, Postcode: "!", Phone: "call me", Fax: "12", Website: "not a site", Email: "nope"), null, Now));
        string[] expected = ["customerId", "code", "name", "kind", "postcode", "phone", "fax", "website", "email"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Registration_number_and_bank_account_are_kept_tidied_and_a_merge_takes_them_over_when_missing()
    {
        var customer = Customer.Register(Guid.NewGuid(), new CustomerProfile("C3001", "华信", CustomerKind.Direct,
            RegistrationNumber: " 91110108ma01abcd2x ", BankAccount: " 6222 0210 0112 3456 789 "), "sales-li", Now);
        Assert.Equal(("91110108MA01ABCD2X", "6222 0210 0112 3456 789"), (customer.RegistrationNumber, customer.BankAccount));

        var survivor = Register("C3002", "华信科技");
        var plan = CustomerMerge.Plan(survivor, customer, new CustomerDependents([], [], [], []), Now, "sup-zhao");
        survivor.Absorb(plan);
        Assert.Equal(("91110108MA01ABCD2X", "6222 0210 0112 3456 789"), (survivor.RegistrationNumber, survivor.BankAccount));
    }

    [Theory]
    [InlineData("91 33/01", "6222021001123456789")]
    [InlineData("1234567", "6222021001123456789")]
    [InlineData("91110108MA01ABCD2X", "IBAN?")]
    [InlineData("91110108MA01ABCD2X", "1234 567")]
    [InlineData("91110108MA01ABCD2X", "ABCDEFGHIJKL")]
    public void A_malformed_registration_number_or_bank_account_is_refused(string registration, string bank)
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => Customer.Register(Guid.NewGuid(),
            new CustomerProfile("C3003", "华信", CustomerKind.Direct, RegistrationNumber: registration, BankAccount: bank), null, Now));
        Assert.Single(ex.Errors.Keys, k => k is "registrationNumber" or "bankAccount");
    }

    [Theory]
    [InlineData("(+86)138 1234 5678")]
    [InlineData("０１０－６５５２１２３４")]
    [InlineData("010-65521234 ext. 8021")]
    [InlineData("010-65521234转8021")]
    [InlineData("+44 20 7946 0000")]
    public void Customer_phones_may_be_written_in_any_common_form(string phone) =>
        Assert.Equal(phone, Register("C1001", "华信", phone).Phone);

    [Theory]
    [InlineData("138-1234+5678")]
    [InlineData("1234")]
    [InlineData("call 13812345678")]
    public void Implausible_customer_phones_are_refused(string phone) =>
        Assert.Contains("phone", Assert.Throws<DomainRuleViolation>(() => Register("C1001", "华信", phone)).Errors.Keys);

    [Fact]
    public void A_customer_code_never_changes()
    {
        var customer = Register("C1001", "华信");
        var ex = Assert.Throws<DomainRuleViolation>(() => customer.UpdateProfile(new CustomerProfile("C2002", "华信", CustomerKind.Direct)));
        Assert.Contains("code", ex.Errors.Keys);

        customer.UpdateProfile(new CustomerProfile("C1001", "华信通信", CustomerKind.Dealer, Phone: "13812345678"));
        Assert.True(customer.IsDealer);
        Assert.Equal("13812345678", customer.PhoneKey);
    }

    [Fact]
    public void Attributes_are_unique_by_key_regardless_of_case()
    {
        var customer = Register("C1001", "华信");
        customer.SetAttribute("Fleet size", "40");
        customer.SetAttribute("fleet SIZE", "45");
        customer.SetAttribute("Preferred dealer", "D-07");
        customer.RemoveAttribute("PREFERRED DEALER");
        Assert.Equal([new CustomerAttribute("fleet SIZE", "45")], customer.Attributes);
    }

    [Fact]
    public void Grades_and_owner_are_recorded()
    {
        var customer = Register("C1001", "华信");
        customer.Grade(ValueGrade.A, CreditGrade.AA);
        customer.AssignOwner("sales-wang");
        Assert.Equal((ValueGrade.A, CreditGrade.AA, "sales-wang"), (customer.ValueGrade, customer.CreditGrade, customer.OwnerSalespersonId));
    }

    [Theory]
    [InlineData("北京华信科技有限公司", "北京华信科技")]
    [InlineData("北京华信科技股份有限公司", "北京华信科技")]
    [InlineData("北京华信科技 公司", "北京华信科技")]
    [InlineData("ＨＵＡＸＩＮ　Ｔｅｃｈ Ｃｏ．，Ｌｔｄ．", "huaxin tech")]
    [InlineData("Huaxin  Tech Co., Ltd.", "huaxin tech")]
    [InlineData("HUAXIN TECH LIMITED", "huaxin tech")]
    [InlineData("Huaxin Tech Inc.", "huaxin tech")]
    [InlineData("有限公司", "有限公司")]
    [InlineData("Co., Ltd.", "co ltd")]
    public void Customer_names_are_compared_without_form_width_case_or_company_suffix(string name, string key) =>
        Assert.Equal(key, CustomerName.Normalise(name));

    [Theory]
    [InlineData("+86 138-1234-5678", "13812345678")]
    [InlineData("0086 13812345678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("(+86)138 1234 5678", "13812345678")]
    [InlineData("１３８１２３４５６７８", "13812345678")]
    [InlineData("010-65521234", "1065521234")]
    [InlineData("+86 (0)10 6552 1234", "1065521234")]
    [InlineData("0086-10-65521234", "1065521234")]
    [InlineData("010-65521234 转 8021", "1065521234")]
    [InlineData("010-65521234 ext. 8021", "1065521234")]
    [InlineData("+44 20 7946 0000", "00442079460000")]
    [InlineData("0044 20 7946 0000", "00442079460000")]
    [InlineData("anonymous", "")]
    public void Phone_numbers_are_compared_as_digits_without_country_prefix_or_trunk_zero(string raw, string key) =>
        Assert.Equal(key, PhoneNumber.Normalise(raw));

    [Fact]
    public void Phone_normalisation_is_idempotent()
    {
        string[] pieces = ["+", "86", "0086", "0", "00", "1", "138", "10", "6552", "1234", " ", "-", "(", ")", "８", "＋", "　", "x", "转", "#", "ext"];
        Property.ForAll(seed: 1, cases: 3000, random =>
        {
            var raw = string.Concat(Enumerable.Range(0, random.Next(0, 10)).Select(_ => random.Pick(pieces)));
            var once = PhoneNumber.Normalise(raw);
            Assert.Equal(once, PhoneNumber.Normalise(once));
            Assert.All(once, c => Assert.True(char.IsAsciiDigit(c), raw));
        });
    }

    [Fact]
    public void A_typed_name_prefix_folds_to_a_prefix_of_the_name_key()
    {
        string[] pieces = ["华信", "科技", "北京", " ", "　", "（北京）", "·", "ACME", "Ｈｕａｘｉｎ", "Tech", ",", "-", "Beijing", "ｔｅｃｈ"];
        Property.ForAll(seed: 3, cases: 3000, random =>
        {
            var name = string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Pick(pieces)));
            var typed = name[..random.Next(0, name.Length + 1)];
            Assert.StartsWith(CustomerName.NormalisePrefix(typed), CustomerName.Normalise(name), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("北京华信", "北京华信")]
    [InlineData("ＨＵＡＸＩＮ　Ｔｅ", "huaxin te")]
    [InlineData("Huaxin Co", "huaxin co")]
    [InlineData("  ", "")]
    public void A_typed_name_prefix_keeps_what_looks_like_a_suffix(string typed, string key) =>
        Assert.Equal(key, CustomerName.NormalisePrefix(typed));

    [Fact]
    public void Name_normalisation_is_idempotent()
    {
        string[] pieces = ["华信", "科技", "有限公司", "股份有限公司", "公司", " ", "　", "Ｃｏ．", "Co.", ",", " Ltd.", " ltd", "Inc", " Limited", "ACME", "（北京）", "·"];
        Property.ForAll(seed: 2, cases: 3000, random =>
        {
            var raw = string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => random.Pick(pieces)));
            var once = CustomerName.Normalise(raw);
            Assert.Equal(once, CustomerName.Normalise(once));
        });
    }

    [Fact]
    public void Screen_pop_key_is_null_for_withheld_or_internal_numbers()
    {
        Assert.Null(PhoneNumber.CallerKey(null));
        Assert.Null(PhoneNumber.CallerKey("Private"));
        Assert.Null(PhoneNumber.CallerKey("8021"));
        Assert.Equal("13812345678", PhoneNumber.CallerKey("+8613812345678"));
    }

    [Fact]
    public void Screen_pop_finds_the_customer_by_its_own_or_a_contacts_phone()
    {
        var huaxin = Register("C1001", "华信", "010-65521234");
        var acme = Register("C1002", "Acme");
        var retired = Register("C1003", "华信 公司", "010-65521234");
        retired.RetireInto(CustomerMerge.Plan(huaxin, retired, CustomerDependents.None, Now, "admin"));
        var wang = Contact.Add(Guid.NewGuid(), acme.Id, new ContactDetails("王工", [new ContactPhone(PhoneKind.Mobile, "138 1234 5678")]));

        var byCustomerPhone = ScreenPop.Find("+86 10 6552 1234", [huaxin, acme, retired], [wang]);
        var byContactPhone = ScreenPop.Find("008613812345678", [huaxin, acme, retired], [wang]);
        var unknown = ScreenPop.Find("021-5555 0000", [huaxin, acme], [wang]);

        Assert.Equal([huaxin.Id], byCustomerPhone.CustomerIds);
        Assert.Equal([acme.Id], byContactPhone.CustomerIds);
        Assert.Equal([wang.Id], byContactPhone.ContactIds);
        Assert.Empty(unknown.CustomerIds);
        Assert.Equal("2155550000", unknown.CallerKey);
    }

    [Fact]
    public void Customers_with_the_same_normalised_name_or_phone_are_duplicate_candidates()
    {
        var first = Register("C1", "北京华信科技有限公司", "010-65521234", at: Now);
        var sameName = Register("C2", "北京华信科技 公司", null, at: Now.AddDays(1));
        var samePhone = Register("C3", "华信北京分部", "+86 10 6552 1234", at: Now.AddDays(2));
        var both = Register("C4", "北京华信科技股份有限公司", "0086 10 65521234", at: Now.AddDays(3));
        var other = Register("C5", "Acme", "13812345678", at: Now.AddDays(4));

        var candidates = DuplicateCandidates.Among([other, both, samePhone, sameName, first]);

        Assert.Equal(
        [
            new DuplicateCandidate(first.Id, sameName.Id, DuplicateReason.SameName),
            new DuplicateCandidate(first.Id, samePhone.Id, DuplicateReason.SamePhone),
            new DuplicateCandidate(first.Id, both.Id, DuplicateReason.SameName | DuplicateReason.SamePhone),
            new DuplicateCandidate(sameName.Id, both.Id, DuplicateReason.SameName),
            new DuplicateCandidate(samePhone.Id, both.Id, DuplicateReason.SamePhone),
        ], candidates);
        Assert.Equal([new DuplicateCandidate(first.Id, sameName.Id, DuplicateReason.SameName), new DuplicateCandidate(sameName.Id, both.Id, DuplicateReason.SameName)],
            DuplicateCandidates.Of(sameName, [first, samePhone, both, other]));
        Assert.Empty(DuplicateCandidates.Of(other, [first, sameName, samePhone, both]));
    }

    [Fact]
    public void Merge_moves_every_dependent_of_the_duplicate_and_survivor_attributes_win()
    {
        var survivor = Customer.Register(Guid.NewGuid(), new CustomerProfile("C1", "华信", CustomerKind.Direct, Email: "a@huaxin.cn"), null, Now);
        var duplicate = Customer.Register(Guid.NewGuid(), new CustomerProfile("C2", "华信公司", CustomerKind.Direct, Region: "华北", Phone: "010-65521234", Email: "b@huaxin.cn"), "sales-wang", Now);
        survivor.SetAttribute("fleet size", "40");
        duplicate.SetAttribute("Fleet Size", "12");
        duplicate.SetAttribute("preferred dealer", "D-07");
        Guid[] contacts = [Guid.NewGuid(), Guid.NewGuid()];
        Guid order = Guid.NewGuid(), ticket = Guid.NewGuid(), history = Guid.NewGuid();

        var plan = CustomerMerge.Plan(survivor, duplicate, new CustomerDependents(contacts, [order, order], [ticket], [history]), Now, "admin");
        survivor.Absorb(plan);
        duplicate.RetireInto(plan);

        Assert.Equal(contacts, plan.Merged.ContactIds);
        Assert.Equal([order], plan.Merged.OrderIds);
        Assert.Equal([ticket], plan.Merged.TicketIds);
        Assert.Equal([history], plan.Merged.HistoryIds);
        Assert.Null(plan.Merged.ChangeIds);
        Assert.Equal("C1", plan.SurvivorCode);
        Assert.Equal([new CustomerAttribute("fleet size", "40"), new CustomerAttribute("preferred dealer", "D-07")], survivor.Attributes);
        Assert.Equal(["preferred dealer"], plan.Merged.AttributeKeysTaken);
        Assert.Equal(["Region", "Phone", "OwnerSalespersonId"], plan.Merged.FieldsFilled);
        Assert.Equal(("华北", "1065521234", "a@huaxin.cn", "sales-wang"), (survivor.Region, survivor.PhoneKey, survivor.Email, survivor.OwnerSalespersonId));
        Assert.Equal(survivor.Id, duplicate.MergedIntoId);
        Assert.Throws<DomainRuleViolation>(() => duplicate.SetAttribute("x", "y"));
    }

    [Fact]
    public void A_customer_cannot_be_merged_into_itself_or_twice()
    {
        var a = Register("C1", "华信");
        var b = Register("C2", "华信公司");
        Assert.Contains("duplicateId", Assert.Throws<DomainRuleViolation>(() => CustomerMerge.Plan(a, a, CustomerDependents.None, Now, "admin")).Errors.Keys);
        b.RetireInto(CustomerMerge.Plan(a, b, CustomerDependents.None, Now, "admin"));
        Assert.Contains("duplicateId", Assert.Throws<DomainRuleViolation>(() => CustomerMerge.Plan(a, b, CustomerDependents.None, Now, "admin")).Errors.Keys);
    }

    [Fact]
    public void Merge_loses_and_duplicates_no_dependent()
    {
        Property.ForAll(seed: 3, cases: 500, random =>
        {
            var pool = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
            Guid[] Some() => Enumerable.Range(0, random.Next(0, 15)).Select(_ => random.Pick(pool)).ToArray();
            var dependents = new CustomerDependents(Some(), Some(), Some(), Some());
            var survivor = Register("C1", "华信");
            var duplicate = Register("C2", "华信公司");
            foreach (var key in new[] { "a", "b", "c", "d" }.Where(_ => random.Next(2) == 0))
                survivor.SetAttribute(key, "survivor");
            foreach (var key in new[] { "A", "B", "C", "D" }.Where(_ => random.Next(2) == 0))
                duplicate.SetAttribute(key, "duplicate");

            var plan = CustomerMerge.Plan(survivor, duplicate, dependents, Now, "admin");

            void SameSet(IReadOnlyList<Guid> given, IReadOnlyList<Guid> moved)
            {
                Assert.Equal(moved.Count, moved.Distinct().Count());
                Assert.Equal(given.ToHashSet(), moved.ToHashSet());
            }
            SameSet(dependents.ContactIds, plan.Merged.ContactIds);
            SameSet(dependents.OrderIds, plan.Merged.OrderIds);
            SameSet(dependents.TicketIds, plan.Merged.TicketIds);
            SameSet(dependents.HistoryIds, plan.Merged.HistoryIds);
            var keys = plan.Attributes.Select(a => a.Key.ToLowerInvariant()).ToArray();
            Assert.Equal(keys.Length, keys.Distinct().Count());
            Assert.Equal(survivor.Attributes.Concat(duplicate.Attributes).Select(a => a.Key.ToLowerInvariant()).ToHashSet(), keys.ToHashSet());
            Assert.All(survivor.Attributes, a => Assert.Contains(a, plan.Attributes));
        });
    }

    [Fact]
    public void Contacts_keep_details_and_refuse_implausible_ones()
    {
        var customerId = Guid.NewGuid();
        var contact = Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("  王  工 ", [new ContactPhone(PhoneKind.Office, "010-65521234")],
            Department: "采购部", Title: "经理", Interests: "钓鱼", Birthday: new DateOnly(1980, 3, 14), DecisionRole: DecisionRole.DecisionMaker));
        Assert.Equal("王 工", contact.Name);
        Assert.Equal(["1065521234"], contact.PhoneKeys());

        var ex = Assert.Throws<DomainRuleViolation>(() => Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("",
            [new ContactPhone(PhoneKind.Mobile, "abc")], Email: "x", Birthday: new DateOnly(1800, 1, 1))));
        string[] expected = ["name", "phones[0].number", "email", "birthday"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_contact_cannot_report_to_someone_below_them_or_at_another_customer()
    {
        var customerId = Guid.NewGuid();
        var boss = Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("总经理"));
        var manager = Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("经理"));
        var clerk = Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("职员"));
        var outsider = Contact.Add(Guid.NewGuid(), Guid.NewGuid(), new ContactDetails("外人"));
        Contact[] everyone = [boss, manager, clerk];
        manager.ReportTo(boss, everyone);
        clerk.ReportTo(manager, everyone);

        Assert.Equal(manager.Id, clerk.ReportsToId);
        Assert.Throws<DomainRuleViolation>(() => boss.ReportTo(clerk, everyone));
        Assert.Throws<DomainRuleViolation>(() => boss.ReportTo(boss, everyone));
        Assert.Throws<DomainRuleViolation>(() => clerk.ReportTo(outsider, everyone));
    }

    [Fact]
    public void Birthdays_in_a_month_are_listed_by_day()
    {
        var customerId = Guid.NewGuid();
        Contact Born(string name, int month, int day) => Contact.Add(Guid.NewGuid(), customerId, new ContactDetails(name, Birthday: new DateOnly(1980, month, day)));
        var late = Born("李", 3, 28);
        var early = Born("王", 3, 2);
        var leap = Born("赵", 2, 29);
        var unknown = Contact.Add(Guid.NewGuid(), customerId, new ContactDetails("钱"));

        Assert.Equal([early, late], Contact.BirthdaysIn([late, leap, unknown, early], 3));
        Assert.Equal([leap], Contact.BirthdaysIn([late, leap, unknown, early], 2));
        Assert.Throws<DomainRuleViolation>(() => Contact.BirthdaysIn([], 13));
    }

    [Fact]
    public void Merging_moves_a_contact_to_the_survivor()
    {
        var survivorId = Guid.NewGuid();
        var contact = Contact.Add(Guid.NewGuid(), Guid.NewGuid(), new ContactDetails("王工"));
        contact.MoveToCustomer(survivorId);
        Assert.Equal(survivorId, contact.CustomerId);
    }
}
