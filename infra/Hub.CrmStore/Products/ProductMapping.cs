using Crm.Domain.Products;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore.Products;

/// <summary><see cref="Product"/> in <c>crm_product</c>; its state stored by name, so the table reads well and a reordered enum breaks nothing.</summary>
internal static class ProductMapping
{
    public static void Configure(ModelBuilder model) => model.Entity<Product>(e =>
    {
        e.KeepsHistory();
        e.ToTable("crm_product");
        e.HasKey(p => p.Id);
        e.Property(p => p.Id).ValueGeneratedNever();
        e.Property(p => p.Code).HasMaxLength(32);
        e.HasIndex(p => p.Code).IsUnique();
        e.Property(p => p.Name).HasMaxLength(200);
        e.Property(p => p.Spec).HasMaxLength(200);
        e.Property(p => p.Model).HasMaxLength(100);
        e.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
        // PostgreSQL keeps instants in UTC only; SQLite would keep the offset. UTC on both, so they read back alike.
        e.Property(p => p.DiscontinuedAt).HasConversion(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v);
        e.Ignore(p => p.IsActive);
        e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();
        e.HasIndex(p => new { p.State, p.Code });
    });
}
