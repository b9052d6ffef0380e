using Crm.Domain.Products;
using Hub.Persistence;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore.Products;

/// <summary>
/// Tables of the products capability (003 §3.5, 002 §5.4): the catalogue and the price book quotes are priced
/// with. Both keep their change history, so who changed a product or a price, and when, is on record.
/// </summary>
internal sealed class ProductsStoreModel : IHubStoreModel
{
    public string Module => "crm-products";

    public void Configure(ModelBuilder model)
    {
        ProductMapping.Configure(model);
        model.Entity<StoredPriceBook>(e =>
        {
            e.KeepsHistory();
            e.ToTable("crm_price_book");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).ValueGeneratedNever();
            e.Property(b => b.ChangedBy).HasMaxLength(64);
            e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("crm-products", 1, "create crm_product, crm_price_book", m =>
        {
            m.CreateTable("crm_product", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Code = t.Column<string>(maxLength: 32, nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Spec = t.Column<string>(maxLength: 200, nullable: true),
                Model = t.Column<string>(maxLength: 100, nullable: true),
                State = t.Column<string>(maxLength: 16, nullable: false),
                DiscontinuedAt = t.Column<DateTimeOffset>(nullable: true),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_product", x => x.Id));
            m.CreateIndex("ix_crm_product_code", "crm_product", "Code", unique: true);
            // The catalogue lists by state in code order: filter and order from one index.
            m.CreateIndex("ix_crm_product_state_code", "crm_product", ["State", "Code"]);

            m.CreateTable("crm_price_book", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Rules = t.Column<string>(nullable: false),
                ChangedAt = t.Column<DateTime>(nullable: false),
                ChangedBy = t.Column<string>(maxLength: 64, nullable: false),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_price_book", x => x.Id));
        }),
    ];
}
