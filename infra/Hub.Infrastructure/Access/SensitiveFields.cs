using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Crm.Domain.Products;

namespace Hub.Infrastructure.Access;

/// <summary>
/// One field only some staff may see (003 §4.4.2 数据属性授权: different people see different data items of one record):
/// <paramref name="Name"/> of <paramref name="Entity"/>, as the record's property (and its change history's snapshot key) names it,
/// visible only to holders of <paramref name="Permission"/>.
/// </summary>
public sealed record SensitiveField(string Entity, string Name, string Permission)
{
    /// <summary>The field's name in JSON (camelCase), as REST answers and message bodies carry it.</summary>
    public string JsonName => JsonNamingPolicy.CamelCase.ConvertName(Name);
}

/// <summary>
/// The one catalogue of sensitive fields and the permission each needs. Every answer that carries one asks here: REST views and
/// lists (the field is left out), list filters and sorts (refused with 403, since filtering would tell the value), change history,
/// timelines and as-of views (the field's before and after left out), the operations view (masked in message bodies) and push
/// content (never carried: <see cref="NamedIn"/> guards it). Adding a field here protects it on every channel that uses the catalogue.
/// </summary>
public static class SensitiveFields
{
    /// <summary>A customer's credit grade (信用等级): holders of <c>customers.credit</c>.</summary>
    public static readonly SensitiveField CustomerCreditGrade = new(nameof(Customer), nameof(Customer.CreditGrade), StaffPermissions.CustomersCredit);
    /// <summary>A customer's registration number (unified social credit code, licence or ID card number): <c>customers.bank</c>.</summary>
    public static readonly SensitiveField CustomerRegistrationNumber = new(nameof(Customer), nameof(Customer.RegistrationNumber), StaffPermissions.CustomersBank);
    /// <summary>A customer's bank and account (开户行及账号): <c>customers.bank</c>.</summary>
    public static readonly SensitiveField CustomerBankAccount = new(nameof(Customer), nameof(Customer.BankAccount), StaffPermissions.CustomersBank);
    /// <summary>The lowest total a quotation may have (价格底线): <c>products.floor</c>.</summary>
    public static readonly SensitiveField QuotationFloor = new(nameof(Quotation), nameof(Quotation.Floor), StaffPermissions.ProductsFloor);
    /// <summary>The price book's floor rules (their share of the list price): <c>products.floor</c>.</summary>
    public static readonly SensitiveField PriceBookFloor = new(nameof(PriceBook), nameof(PriceFloor.ShareOfList), StaffPermissions.ProductsFloor);
    /// <summary>An agency contract's commercial terms: <c>dealers.terms</c>.</summary>
    public static readonly SensitiveField AgencyContractTerms = new(nameof(AgencyContract), nameof(AgencyContract.Terms), StaffPermissions.DealersTerms);
    /// <summary>The terms settled in a negotiation with a dealer (the contract's terms in the making): <c>dealers.terms</c>.</summary>
    public static readonly SensitiveField NegotiationTerms = new(nameof(NegotiationRecord), nameof(NegotiationRecord.Terms), StaffPermissions.DealersTerms);
    /// <summary>The commission a dealer earned (from the commission table, a contract term): <c>dealers.terms</c>.</summary>
    public static readonly SensitiveField DealerCommission = new("DealerAchievement", "Commission", StaffPermissions.DealersTerms);

    /// <summary>Every sensitive field.</summary>
    public static IReadOnlyList<SensitiveField> All { get; } =
        [CustomerCreditGrade, CustomerRegistrationNumber, CustomerBankAccount, QuotationFloor, PriceBookFloor, AgencyContractTerms, NegotiationTerms, DealerCommission];

    /// <summary>
    /// The JSON names of every sensitive field, plus <c>floor</c> (a price book rule's and a quote's floor as messages carry it), for
    /// masking bodies whose entity is not known (audited and failed messages).
    /// </summary>
    public static IReadOnlySet<string> JsonNames { get; } = new HashSet<string>(All.Select(f => f.JsonName).Append("floor"), StringComparer.OrdinalIgnoreCase);

    /// <summary>The fields of <paramref name="entity"/> whoever holds only what <paramref name="holds"/> allows may not see (empty: all visible).</summary>
    public static IReadOnlySet<string> HiddenFrom(string entity, Func<string, bool> holds) =>
        All.Where(f => f.Entity == entity && !holds(f.Permission)).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The field of <paramref name="entity"/> called <paramref name="name"/> (any case), or null when it is not sensitive.</summary>
    public static SensitiveField? Find(string entity, string name) =>
        All.FirstOrDefault(f => f.Entity == entity && string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary><paramref name="values"/> (a record's snapshot by property name) without the <paramref name="hidden"/> fields.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Without(this IReadOnlyDictionary<string, JsonElement> values, IReadOnlySet<string> hidden) =>
        hidden.Count == 0 ? values : values.Where(v => !hidden.Contains(v.Key)).ToDictionary();

    /// <summary>What replaces a masked value.</summary>
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="json"/> with the value of every property named like a sensitive field (at any depth) replaced by <see cref="Mask"/>;
    /// null when it is not JSON (it cannot be masked, so it is not shown).
    /// </summary>
    public static string? Masked(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return null; }
        MaskIn(root);
        return root?.ToJsonString() ?? json;
    }

    /// <summary>Whether <paramref name="json"/> names a sensitive field anywhere (a body that can carry one); true for what is not JSON.</summary>
    public static bool NamedIn(string json)
    {
        try { return NamedIn(JsonNode.Parse(json)); }
        catch (JsonException) { return true; }
    }

    /// <summary>Whether the JSON tree <paramref name="node"/> names a sensitive field anywhere.</summary>
    public static bool NamedIn(JsonNode? node) => Names(node).Any(JsonNames.Contains);

    private static void MaskIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (JsonNames.Contains(name))
                        o[name] = Mask;
                    else
                        MaskIn(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    MaskIn(item);
                break;
        }
    }

    private static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Names(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Names),
        _ => [],
    };
}
