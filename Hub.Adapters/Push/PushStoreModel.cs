using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

internal sealed class PushStoreModel : IHubStoreModel
{
    public string Module => "push";

    public void Configure(ModelBuilder model)
    {
        model.Entity<PushEvent>(e =>
        {
            e.ToTable("mobile_push_event");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedOnAdd();
            e.Property(p => p.UserId).HasMaxLength(64);
            e.Property(p => p.Kind).HasMaxLength(64);
            // A notice names the site to visit, the caller, the customer (issue 8): sealed at rest, read back by user and sequence.
            e.Property(p => p.Payload).IsEncrypted();
            e.HasIndex(p => new { p.UserId, p.Id });
            e.HasIndex(p => new { p.UserId, p.Sequence }).IsUnique();
            e.Property(p => p.DedupeKey).HasMaxLength(200);
            e.HasIndex(p => new { p.UserId, p.DedupeKey }).IsUnique();
        });
        model.Entity<PushCursor>(e =>
        {
            e.ToTable("mobile_push_cursor");
            e.HasKey(c => c.UserId);
            e.Property(c => c.UserId).HasMaxLength(64);
        });
        model.Entity<PushPreference>(e =>
        {
            e.ToTable("mobile_push_preference");
            e.HasKey(p => p.UserId);
            e.Property(p => p.UserId).HasMaxLength(64);
            e.Property(p => p.Version).IsConcurrencyToken();
        });
        model.Entity<PushDelivery>(e =>
        {
            e.ToTable("mobile_push_delivery");
            e.HasKey(d => d.Id);
            e.Property(d => d.DeviceId).HasMaxLength(128);
            e.Property(d => d.UserId).HasMaxLength(64);
            e.Property(d => d.PushKey).HasMaxLength(200);
            e.Property(d => d.Kind).HasMaxLength(64);
            e.Property(d => d.State).HasMaxLength(16);
            // The text a platform push shows, sealed like the event; the delivery reads it back by id. The device's push token
            // (mobile_device) stays in clear: an opaque address the platform issued, no phone, email or ID of a person.
            e.Property(d => d.Title).IsEncrypted();
            e.Property(d => d.Body).IsEncrypted();
            e.Property(d => d.Data).IsEncrypted();
            e.HasIndex(d => new { d.DeviceId, d.PushKey }).IsUnique();
            e.HasIndex(d => new { d.UserId, d.PushKey });
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("push", 1, "create mobile_push_event", m =>
        {
            m.CreateTable("mobile_push_event", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                Kind = t.Column<string>(maxLength: 64, nullable: false),
                Payload = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTimeOffset>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_push_event", x => x.Id));
            m.CreateIndex("ix_mobile_push_event_user", "mobile_push_event", ["UserId", "Id"]);
        }),
        new("push", 2, "create mobile_push_preference", m => m.CreateTable("mobile_push_preference", t => new
        {
            UserId = t.Column<string>(maxLength: 64, nullable: false),
            MutedKinds = t.Column<string>(nullable: false),
            QuietFromMinute = t.Column<int>(nullable: true),
            QuietToMinute = t.Column<int>(nullable: true),
            UtcOffsetMinutes = t.Column<int>(nullable: false),
            Version = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_mobile_push_preference", x => x.UserId))),
        new("push", 3, "number push events per user", m =>
        {
            m.AddColumn<long>("Sequence", "mobile_push_event", nullable: false, defaultValue: 0L);
            m.Sql("UPDATE mobile_push_event SET \"Sequence\" = \"Id\"");
            m.CreateIndex("ux_mobile_push_event_user_sequence", "mobile_push_event", ["UserId", "Sequence"], unique: true);
            m.CreateTable("mobile_push_cursor", t => new
            {
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                LastSequence = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_push_cursor", x => x.UserId));
            m.Sql("INSERT INTO mobile_push_cursor (\"UserId\", \"LastSequence\") SELECT \"UserId\", MAX(\"Sequence\") FROM mobile_push_event GROUP BY \"UserId\"");
        }),
        new("push", 4, "create mobile_push_delivery", m =>
        {
            m.CreateTable("mobile_push_delivery", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DeviceId = t.Column<string>(maxLength: 128, nullable: false),
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                PushKey = t.Column<string>(maxLength: 200, nullable: false),
                Kind = t.Column<string>(maxLength: 64, nullable: false),
                Title = t.Column<string>(nullable: false),
                Body = t.Column<string>(nullable: false),
                Data = t.Column<string>(nullable: false),
                Urgent = t.Column<bool>(nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Silent = t.Column<bool>(nullable: false),
                Detail = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                SentAt = t.Column<DateTime>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_mobile_push_delivery", x => x.Id));
            m.CreateIndex("ux_mobile_push_delivery_device_key", "mobile_push_delivery", ["DeviceId", "PushKey"], unique: true);
            m.CreateIndex("ix_mobile_push_delivery_user_key", "mobile_push_delivery", ["UserId", "PushKey"]);
        }),
        new("push", 5, "one stream event per user and fact", m =>
        {
            m.AddColumn<string>("DedupeKey", "mobile_push_event", maxLength: 200, nullable: false, defaultValue: "");
            // Earlier events get their id: unique, and never a notice key (those start with the kind).
            m.Sql("UPDATE mobile_push_event SET \"DedupeKey\" = CAST(\"Id\" AS TEXT)");
            m.CreateIndex("ux_mobile_push_event_user_dedupe_key", "mobile_push_event", ["UserId", "DedupeKey"], unique: true);
        }),
        // The columns are text already on both providers: only the rows written before need sealing.
        new("push", 6, "encrypt push events' payload and platform pushes' title, body and data", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("mobile_push_event", "mobile_push_delivery"),
        },
    ];
}
