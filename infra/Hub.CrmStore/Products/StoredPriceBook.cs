using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Crm.Domain.Products;

namespace Hub.CrmStore.Products;

/// <summary>
/// The price book quotes are priced with (table <c>crm_price_book</c>): its pricing rules as one JSON document,
/// replaced as a whole, because a book is only valid as a whole (<see cref="PriceBook"/> checks the rules together).
/// </summary>
public sealed class StoredPriceBook
{
    /// <summary>The id of the standard price book (标准自动报价), the one every quote is priced with.</summary>
    public static readonly Guid StandardId = new("6f1c0b7e-3a52-4d0e-9b61-5e8a2c4d7f10");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Modes by name, so the stored document has the shape of the rules on the wire (PricingRuleData).
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        // The domain's rules carry no serialisation attributes: the kinds are named here, where they are stored.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type != typeof(PricingRule))
                        return;
                    info.PolymorphismOptions = new JsonPolymorphismOptions
                    {
                        TypeDiscriminatorPropertyName = "kind",
                        DerivedTypes =
                        {
                            new JsonDerivedType(typeof(BasePrice), "basePrice"),
                            new JsonDerivedType(typeof(VolumeDiscount), "volume"),
                            new JsonDerivedType(typeof(BundleDiscount), "bundle"),
                            new JsonDerivedType(typeof(PriceFloor), "floor"),
                        },
                    };
                },
            },
        },
    };

    /// <summary>Identity; <see cref="StandardId"/>.</summary>
    public Guid Id { get; set; }

    /// <summary>
    /// The rules as JSON: a list of rules, each with its <c>kind</c> (basePrice, volume, bundle, floor) and fields named
    /// as on the wire, so the document can be answered as it is.
    /// </summary>
    public string Rules { get; set; } = "[]";

    /// <summary>When the rules were last set (UTC).</summary>
    public DateTime ChangedAt { get; set; }

    /// <summary>Who set them.</summary>
    public string ChangedBy { get; set; } = "";

    /// <summary>The price book the rules make (they were checked when set).</summary>
    public PriceBook ToPriceBook() => new(JsonSerializer.Deserialize<List<PricingRule>>(Rules, Json) ?? []);

    /// <summary>Keeps the rules of <paramref name="book"/>.</summary>
    public void Set(PriceBook book, DateTime changedAt, string changedBy)
    {
        Rules = JsonSerializer.Serialize(book.Rules.ToList(), Json);
        ChangedAt = changedAt;
        ChangedBy = changedBy;
    }
}
