namespace Crm.Domain.Customers;

/// <summary>The ids of what hangs off a customer, as the stores hold them.</summary>
/// <param name="ContactIds">Its contacts.</param>
/// <param name="OrderIds">Its orders.</param>
/// <param name="TicketIds">Its service tickets.</param>
/// <param name="HistoryIds">
/// Its contact history (visits, calls, mailings; 003 §3.1.2), for a store that holds one. The hub's stores hold none (the contact
/// history stays in the CRM), so there it is empty; the record changes a merge writes are <see cref="CustomerMerged.ChangeIds"/>.
/// </param>
public sealed record CustomerDependents(
    IReadOnlyList<Guid> ContactIds,
    IReadOnlyList<Guid> OrderIds,
    IReadOnlyList<Guid> TicketIds,
    IReadOnlyList<Guid> HistoryIds)
{
    /// <summary>A customer with nothing hanging off it.</summary>
    public static CustomerDependents None { get; } = new([], [], [], []);
}

/// <summary>What a merge did: the record kept and published once the plan is carried out.</summary>
/// <param name="SurvivorId">The customer that stays.</param>
/// <param name="DuplicateId">The customer retired into it.</param>
/// <param name="ContactIds">Contacts moved to the survivor.</param>
/// <param name="OrderIds">Orders moved to the survivor.</param>
/// <param name="TicketIds">Service tickets moved to the survivor.</param>
/// <param name="HistoryIds">Contact history entries moved to the survivor (<see cref="CustomerDependents.HistoryIds"/>).</param>
/// <param name="AttributeKeysTaken">Attribute keys the survivor took from the duplicate (it lacked them).</param>
/// <param name="FieldsFilled">Profile fields the survivor took from the duplicate (they were blank).</param>
/// <param name="At">When the merge was decided.</param>
/// <param name="Actor">Who confirmed it.</param>
/// <param name="ChangeIds">
/// The record changes the merge wrote into the store's change history (the survivor's and the duplicate's, each moved contact's and
/// order's), by their ids there, so the merge can be audited or retraced change by change. The plan cannot know them (the store numbers
/// them as it writes them): null until the store filled them in, and for merges recorded before it did.
/// </param>
public sealed record CustomerMerged(
    Guid SurvivorId,
    Guid DuplicateId,
    IReadOnlyList<Guid> ContactIds,
    IReadOnlyList<Guid> OrderIds,
    IReadOnlyList<Guid> TicketIds,
    IReadOnlyList<Guid> HistoryIds,
    IReadOnlyList<string> AttributeKeysTaken,
    IReadOnlyList<string> FieldsFilled,
    DateTimeOffset At,
    string Actor,
    IReadOnlyList<long>? ChangeIds = null);

/// <summary>
/// How to carry out a merge: re-point every dependent listed in <see cref="Merged"/> to the survivor
/// (<c>Contact.MoveToCustomer(SurvivorId)</c>, <c>Order.MoveToCustomer(SurvivorCode)</c>,
/// <c>ServiceTicket.MoveToCustomer(SurvivorId)</c>), then <c>survivor.Absorb(plan)</c> and
/// <c>duplicate.RetireInto(plan)</c>, all in one transaction.
/// </summary>
/// <param name="SurvivorId">The customer that stays.</param>
/// <param name="SurvivorCode">Its code, which orders refer to.</param>
/// <param name="DuplicateId">The customer retired into it.</param>
/// <param name="Attributes">The survivor's attributes after the merge.</param>
/// <param name="FilledFields">Blank profile fields of the survivor and the duplicate's values for them.</param>
/// <param name="Merged">What moves.</param>
public sealed record CustomerMergePlan(
    Guid SurvivorId,
    string SurvivorCode,
    Guid DuplicateId,
    IReadOnlyList<CustomerAttribute> Attributes,
    IReadOnlyList<KeyValuePair<string, string>> FilledFields,
    CustomerMerged Merged);

/// <summary>
/// Merging a confirmed duplicate into its survivor (003 §3.1.1: 已经确认为重复数据的合并功能).
/// Pure: it reads the two customers and the ids of the duplicate's dependents, and returns the plan.
/// </summary>
public static class CustomerMerge
{
    /// <summary>
    /// Plans the merge. Everything of the duplicate moves, each id once; attributes are unioned with
    /// the survivor's values winning; the survivor's blank profile fields take the duplicate's values.
    /// </summary>
    public static CustomerMergePlan Plan(Customer survivor, Customer duplicate, CustomerDependents duplicateDependents, DateTimeOffset at, string actor)
    {
        new RuleCheck()
            .Require(survivor.Id != duplicate.Id, "duplicateId", "a customer cannot be merged into itself")
            .Require(!survivor.IsRetired, "survivorId", $"customer {survivor.Code} was itself merged away")
            .Require(!duplicate.IsRetired, "duplicateId", $"customer {duplicate.Code} was already merged")
            .RequireText(actor, "actor", 64)
            .ThrowIfBroken();

        var attributes = survivor.Attributes.ToList();
        var taken = new List<string>();
        foreach (var attribute in duplicate.Attributes)
        {
            if (attributes.Any(a => string.Equals(a.Key, attribute.Key, StringComparison.OrdinalIgnoreCase)))
                continue;
            attributes.Add(attribute);
            taken.Add(attribute.Key);
        }

        var filled = new List<KeyValuePair<string, string>>();
        void Fill(string field, string? mine, string? theirs)
        {
            if (mine is null && theirs is not null)
                filled.Add(new(field, theirs));
        }
        Fill(nameof(Customer.Industry), survivor.Industry, duplicate.Industry);
        Fill(nameof(Customer.Region), survivor.Region, duplicate.Region);
        Fill(nameof(Customer.Category), survivor.Category, duplicate.Category);
        Fill(nameof(Customer.Address), survivor.Address, duplicate.Address);
        Fill(nameof(Customer.Postcode), survivor.Postcode, duplicate.Postcode);
        Fill(nameof(Customer.Phone), survivor.Phone, duplicate.Phone);
        Fill(nameof(Customer.Fax), survivor.Fax, duplicate.Fax);
        Fill(nameof(Customer.Website), survivor.Website, duplicate.Website);
        Fill(nameof(Customer.Email), survivor.Email, duplicate.Email);
        Fill(nameof(Customer.RegistrationNumber), survivor.RegistrationNumber, duplicate.RegistrationNumber);
        Fill(nameof(Customer.BankAccount), survivor.BankAccount, duplicate.BankAccount);
        Fill(nameof(Customer.OwnerSalespersonId), survivor.OwnerSalespersonId, duplicate.OwnerSalespersonId);

        // A join can list a dependent twice; each moves once.
        static Guid[] Once(IReadOnlyList<Guid>? ids) => (ids ?? []).Where(id => id != Guid.Empty).Distinct().ToArray();

        var merged = new CustomerMerged(survivor.Id, duplicate.Id,
            Once(duplicateDependents.ContactIds), Once(duplicateDependents.OrderIds),
            Once(duplicateDependents.TicketIds), Once(duplicateDependents.HistoryIds),
            taken, filled.Select(f => f.Key).ToArray(), at, actor.Trim());
        return new CustomerMergePlan(survivor.Id, survivor.Code, duplicate.Id, attributes, filled, merged);
    }
}
