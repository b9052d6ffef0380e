using Crm.Domain.Customers;
using Hub.Persistence.Encryption;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore.Customers;

/// <summary>
/// <see cref="Customer"/> in <c>crm_customer</c>, its free attributes in <c>crm_customer_attribute</c>.
/// Kinds and grades are stored by name, so the tables read well and a reordered enum breaks nothing.
/// </summary>
internal static class CustomerMapping
{
    public static void Configure(ModelBuilder model) => model.Entity<Customer>(e =>
    {
        e.KeepsHistory();
        e.ToTable("crm_customer");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.Code).HasMaxLength(32);
        e.HasIndex(c => c.Code).IsUnique();
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Industry).HasMaxLength(64);
        e.Property(c => c.Region).HasMaxLength(64);
        e.Property(c => c.Category).HasMaxLength(64);
        // A person's address and email (a private customer, a dealer's owner) are sealed like the phone; nothing queries them.
        e.Property(c => c.Address).IsEncrypted();
        e.Property(c => c.Postcode).HasMaxLength(10);
        // Sensitive (issue 8): sealed at rest; the phone is found through its blind index PhoneKey.
        e.Property(c => c.Phone).IsEncrypted();
        e.Property(c => c.Fax).IsEncrypted();
        e.Property(c => c.RegistrationNumber).IsEncrypted();
        e.Property(c => c.BankAccount).IsEncrypted();
        e.Property(c => c.Website).HasMaxLength(200);
        e.Property(c => c.Email).IsEncrypted();
        e.Property(c => c.OwnerSalespersonId).HasMaxLength(64);
        e.Property(c => c.ValueGrade).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.CreditGrade).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.NameKey).HasMaxLength(200);
        e.Property(c => c.PhoneKey).IsBlindIndexOf(nameof(Customer.Phone), PhoneNumber.Normalise);
        // PostgreSQL keeps instants in UTC only; SQLite would keep the offset. UTC on both, so they read back alike.
        e.Property(c => c.RegisteredAt).HasConversion(v => v.ToUniversalTime(), v => v);
        e.Property(c => c.MergedAt).HasConversion(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v);
        e.Ignore(c => c.IsRetired);
        e.Ignore(c => c.IsDealer);
        e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();
        e.HasIndex(c => new { c.NameKey, c.Code });
        e.HasIndex(c => c.PhoneKey);
        e.HasIndex(c => c.OwnerSalespersonId);
        e.HasIndex(c => c.Region);

        // Attributes belong to the customer and are replaced as values: rows with a surrogate key.
        e.OwnsMany(c => c.Attributes, a =>
        {
            a.ToTable("crm_customer_attribute");
            a.WithOwner().HasForeignKey("CustomerId");
            a.Property<long>("Id").ValueGeneratedOnAdd();
            a.HasKey("Id");
            a.Property(x => x.Key).HasMaxLength(64);
            a.Property(x => x.Value).HasMaxLength(500);
        });
        e.Navigation(c => c.Attributes).UsePropertyAccessMode(PropertyAccessMode.Field);
    });
}
