using Crm.Domain.Customers;
using Hub.Persistence.Encryption;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ValueGeneration;

namespace Hub.CrmStore.Customers;

/// <summary>
/// <see cref="Contact"/> in <c>crm_contact</c>, its phones in <c>crm_contact_phone</c> with the screen-pop key
/// of each number beside it (<see cref="PhoneNumber.Normalise"/>), so a caller number finds contacts by index.
/// </summary>
internal static class ContactMapping
{
    /// <summary>Shadow column of <c>crm_contact_phone</c> holding the number's screen-pop key.</summary>
    public const string PhoneKey = "PhoneKey";

    public static void Configure(ModelBuilder model) => model.Entity<Contact>(e =>
    {
        e.KeepsHistory();
        e.ToTable("crm_contact");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.HasIndex(c => c.CustomerId);
        e.Property(c => c.Name).HasMaxLength(100);
        // Sealed like the contact's phones; nothing queries them.
        e.Property(c => c.Address).IsEncrypted();
        e.Property(c => c.Department).HasMaxLength(100);
        e.Property(c => c.Title).HasMaxLength(100);
        e.Property(c => c.Interests).HasMaxLength(500);
        e.Property(c => c.Email).IsEncrypted();
        e.Property(c => c.DecisionRole).HasConversion<string>().HasMaxLength(16);
        e.Property<long>(CrmStoreModels.Version).IsConcurrencyToken();

        e.OwnsMany(c => c.Phones, p =>
        {
            p.ToTable("crm_contact_phone");
            p.WithOwner().HasForeignKey("ContactId");
            p.Property<long>("Id").ValueGeneratedOnAdd();
            p.HasKey("Id");
            p.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            p.Property(x => x.Number).IsEncrypted();
            // A contact's phones are replaced, never edited in place: the key is computed once, as the row is added (and
            // stored as its blind index).
            p.Property<string>(PhoneKey).IsBlindIndexOf(nameof(ContactPhone.Number), PhoneNumber.Normalise).HasValueGenerator<PhoneKeyGenerator>();
            p.HasIndex(PhoneKey);
        });
        e.Navigation(c => c.Phones).UsePropertyAccessMode(PropertyAccessMode.Field);
    });

    private sealed class PhoneKeyGenerator : ValueGenerator<string>
    {
        public override bool GeneratesTemporaryValues => false;

        public override string Next(EntityEntry entry) => PhoneNumber.Normalise(((ContactPhone)entry.Entity).Number);
    }
}
