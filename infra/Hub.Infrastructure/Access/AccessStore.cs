using System.Xml.Linq;
using Hub.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Infrastructure.Access;

/// <summary>One data-protection key as stored (table <c>hub_data_protection_key</c>).</summary>
public sealed class DataProtectionKeyRow
{
    public long Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// The data-protection key ring kept in the hub store, so every host and every instance reads the same keys: a staff
/// cookie issued by one Adapters instance is accepted by the others and by the Functions host (the stand-in for
/// Microsoft.AspNetCore.DataProtection.EntityFrameworkCore, which the registry lacks).
/// </summary>
internal sealed class DataProtectionKeyRing(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return db.Set<DataProtectionKeyRow>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        db.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

/// <summary>Store model of access: the key ring and the sign-in history.</summary>
internal sealed class AccessStoreModel : IHubStoreModel
{
    public string Module => "access";

    public void Configure(ModelBuilder model)
    {
        model.Entity<DataProtectionKeyRow>(e =>
        {
            e.ToTable("hub_data_protection_key");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).ValueGeneratedOnAdd();
            e.Property(k => k.FriendlyName).HasMaxLength(200);
        });
        model.Entity<SignInEvent>(e =>
        {
            e.ToTable("sign_in_event");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).ValueGeneratedOnAdd();
            e.Property(k => k.Principal).HasMaxLength(128);
            e.Property(k => k.Channel).HasMaxLength(16);
            e.Property(k => k.Outcome).HasMaxLength(16);
            e.Property(k => k.Address).HasMaxLength(64);
            e.HasIndex(k => new { k.Channel, k.Principal, k.At });
            e.HasIndex(k => k.At);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("access", 1, "create hub_data_protection_key", m => m.CreateTable("hub_data_protection_key", t => new
        {
            Id = t.Column<long>(nullable: false).AutoIncrement(),
            FriendlyName = t.Column<string>(maxLength: 200, nullable: false),
            Xml = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_hub_data_protection_key", x => x.Id))),
        new("access", 2, "create sign_in_event", m =>
        {
            m.CreateTable("sign_in_event", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                At = t.Column<DateTime>(nullable: false),
                Channel = t.Column<string>(maxLength: 16, nullable: false),
                Principal = t.Column<string>(maxLength: 128, nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                Address = t.Column<string>(maxLength: 64, nullable: true),
                Detail = t.Column<string>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_sign_in_event", x => x.Id));
            m.CreateIndex("ix_sign_in_event_principal", "sign_in_event", ["Channel", "Principal", "At"]);
            m.CreateIndex("ix_sign_in_event_at", "sign_in_event", "At");
        }),
    ];
}
