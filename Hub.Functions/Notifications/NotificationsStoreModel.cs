using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

internal sealed class NotificationsStoreModel : IHubStoreModel
{
    public string Module => "notifications";

    public void Configure(ModelBuilder model) => model.Entity<Notification>(e =>
    {
        e.ToTable("notification");
        e.HasKey(n => n.Id);
        e.Property(n => n.Channel).HasMaxLength(16);
        e.Property(n => n.Recipient).HasMaxLength(254);
        e.Property(n => n.Template).HasMaxLength(64);
        e.Property(n => n.Subject).HasMaxLength(64);
        e.Property(n => n.State).HasMaxLength(16);
        e.HasIndex(n => new { n.SourceMessageId, n.Channel, n.Recipient }).IsUnique();
        e.HasIndex(n => n.Subject);
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("notifications", 1, "create notification", m =>
        {
            m.CreateTable("notification", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SourceMessageId = t.Column<Guid>(nullable: false),
                Channel = t.Column<string>(maxLength: 16, nullable: false),
                Recipient = t.Column<string>(maxLength: 254, nullable: false),
                Template = t.Column<string>(maxLength: 64, nullable: false),
                Subject = t.Column<string>(maxLength: 64, nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Error = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTimeOffset>(nullable: false),
                SentAt = t.Column<DateTimeOffset>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_notification", x => x.Id));
            m.CreateIndex("ix_notification_dedupe", "notification", ["SourceMessageId", "Channel", "Recipient"], unique: true);
            m.CreateIndex("ix_notification_subject", "notification", "Subject");
        }),
    ];
}
