using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Identity;

/// <summary>Tables of mobile sign-in: users and their bound devices.</summary>
public sealed class IdentityStoreModel : IHubStoreModel
{
    public string Module => "mobile-identity";

    public void Configure(ModelBuilder model)
    {
        model.Entity<MobileUser>(e =>
        {
            e.ToTable("mobile_user");
            e.HasKey(u => u.UserId);
            e.Property(u => u.UserId).HasMaxLength(64);
            e.Property(u => u.Role).HasMaxLength(32);
            e.Property(u => u.Office).HasMaxLength(64);
            e.Property(u => u.Region).HasMaxLength(64);
            // Compared in memory after the user is found by id (never a query on the phone), so no blind index is needed.
            e.Property(u => u.Phone).IsEncrypted();
            e.Property(u => u.PasswordSetBy).HasMaxLength(128);
            // The account's changes are on record; the digest never is, and a wrong password is the sign-in history's business.
            e.Property(u => u.PasswordHash).NotInHistory();
            e.Property(u => u.FailedLogins).NotInHistory();
            e.Property(u => u.LockedUntilTicks).NotInHistory();
            e.KeepsHistory();
        });
        model.Entity<MobileDevice>(e =>
        {
            e.ToTable("mobile_device");
            e.HasKey(d => d.DeviceId);
            e.Property(d => d.DeviceId).HasMaxLength(128);
            e.Property(d => d.UserId).HasMaxLength(64);
            e.Property(d => d.Phone).IsEncrypted();
            e.Property(d => d.Platform).HasMaxLength(16);
            e.Property(d => d.Status).HasMaxLength(16);
            e.Property(d => d.Version).IsConcurrencyToken();
            e.HasIndex(d => d.UserId);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("mobile-identity", 1, "create mobile_user and mobile_device", m =>
        {
            m.CreateTable("mobile_user", t => new
            {
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                DisplayName = t.Column<string>(nullable: false),
                Role = t.Column<string>(maxLength: 32, nullable: false),
                Office = t.Column<string>(maxLength: 64, nullable: false),
                Region = t.Column<string>(maxLength: 64, nullable: false),
                Phone = t.Column<string>(maxLength: 32, nullable: false),
                PasswordHash = t.Column<string>(nullable: false),
                FailedLogins = t.Column<int>(nullable: false),
                LockedUntilTicks = t.Column<long>(nullable: false),
                Suspended = t.Column<bool>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_user", x => x.UserId));
            m.CreateTable("mobile_device", t => new
            {
                DeviceId = t.Column<string>(maxLength: 128, nullable: false),
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                Phone = t.Column<string>(maxLength: 32, nullable: false),
                Platform = t.Column<string>(maxLength: 16, nullable: false),
                PushToken = t.Column<string>(nullable: true),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                BoundAt = t.Column<DateTime>(nullable: false),
                LastSeenAt = t.Column<DateTime>(nullable: false),
                WipeSentAt = t.Column<DateTime>(nullable: true),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_device", x => x.DeviceId));
            m.CreateIndex("ix_mobile_device_user", "mobile_device", "UserId");
        }),
        // Roles moved to the one store of staff roles (staff_role, created earlier by the access module): each user keeps theirs.
        new("mobile-identity", 2, "grant each mobile user their role in staff_role", m => m.Sql(
            "INSERT INTO staff_role (\"StaffId\", \"Role\", \"GrantedBy\", \"GrantedAt\") SELECT \"UserId\", \"Role\", 'configuration', CURRENT_TIMESTAMP FROM mobile_user")),
        // One staff account store: operations users join the phone users; the password's origin decides what the start-up import may renew.
        new("mobile-identity", 3, "mobile_user becomes the staff account store: when and by whom the password was set", m =>
        {
            m.AddColumn<DateTime>("PasswordChangedAt", "mobile_user", nullable: true);
            m.AddColumn<string>("PasswordSetBy", "mobile_user", maxLength: 128, nullable: true);
            // Every password so far came from configuration (Mobile:Users), which renewed it at every start.
            m.Sql("UPDATE mobile_user SET \"PasswordSetBy\" = 'configuration'");
        }),
        new("mobile-identity", 4, "encrypt staff and device phone numbers (and their history)", m =>
        {
            // SQLite does not enforce lengths; PostgreSQL's varchar(32) would refuse an envelope.
            if (m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) != true)
                return;
            m.AlterColumn<string>("Phone", "mobile_user", nullable: false, oldMaxLength: 32);
            m.AlterColumn<string>("Phone", "mobile_device", nullable: false, oldMaxLength: 32);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("mobile_user", "mobile_device"),
        },
    ];
}
