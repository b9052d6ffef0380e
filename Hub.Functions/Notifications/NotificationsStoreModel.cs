using Hub.Functions.Hosting;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

internal sealed class NotificationsStoreModel : IHubStoreModel
{
    public string Module => "notifications";

    public void Configure(ModelBuilder model)
    {
        model.Entity<Notification>(e =>
        {
            e.ToTable("notification");
            e.HasKey(n => n.Id);
            e.Property(n => n.Channel).HasMaxLength(16);
            // Sensitive (issue 8): who it went to and what it said are sealed at rest; the address is found by its blind index.
            e.Property(n => n.Recipient).IsEncrypted();
            // The notifier records the address normalised (RecipientKeys.Address), so the index is of the value as recorded:
            // the dedupe key stays exactly what the unique index on the address was.
            e.Property(n => n.RecipientIndex).IsBlindIndexOf(nameof(Notification.Recipient), recorded => recorded ?? "");
            e.Property(n => n.Template).HasMaxLength(64);
            e.Property(n => n.Subject).HasMaxLength(64);
            e.Property(n => n.State).HasMaxLength(16);
            e.Property(n => n.DedupeKey).HasMaxLength(200);
            e.Property(n => n.RecipientKey).HasMaxLength(100);
            e.Property(n => n.CustomerCode).HasMaxLength(64);
            e.Property(n => n.Language).HasMaxLength(8);
            e.Property(n => n.Title).IsEncrypted();
            e.Property(n => n.Body).IsEncrypted();
            e.Property(n => n.HtmlBody).IsEncrypted();
            e.Property(n => n.Error).IsEncrypted();
            e.Property(n => n.ProviderReference).HasMaxLength(100);
            e.Property(n => n.ProviderStatus).IsEncrypted();
            e.Property(n => n.RecipientMustHold).HasMaxLength(64);
            e.Property(n => n.OverRecordsOf).HasMaxLength(64);
            e.Property(n => n.NotBefore).HasConversion(UtcDateTime.NullableConverter);
            e.Property(n => n.DispatchedAt).HasConversion(UtcDateTime.NullableConverter);
            e.Property(n => n.RecordedAt).HasConversion(UtcDateTime.Converter);
            e.HasIndex(n => new { n.DedupeKey, n.Channel, n.RecipientIndex }).IsUnique();
            e.HasIndex(n => n.Subject);
            e.HasIndex(n => new { n.CustomerCode, n.RecordedAt });
            e.HasIndex(n => new { n.State, n.RecordedAt });
            e.HasIndex(n => n.CampaignId);
        });
        model.Entity<NotificationRecipient>(e =>
        {
            e.ToTable("notification_recipient");
            e.HasKey(r => r.Key);
            e.Property(r => r.Key).HasMaxLength(100);
            e.Property(r => r.Name).IsEncrypted();
            e.Property(r => r.Email).IsEncrypted();
            e.Property(r => r.Phone).IsEncrypted();
            e.Property(r => r.EmailIndex).IsBlindIndexOf(nameof(NotificationRecipient.Email), RecipientKeys.EmailIndexKey);
            e.Property(r => r.PhoneIndex).IsBlindIndexOf(nameof(NotificationRecipient.Phone), RecipientKeys.PhoneIndexKey);
            e.Property(r => r.Language).HasMaxLength(8);
            e.Property(r => r.CustomerCode).HasMaxLength(64);
            e.Property(r => r.Tags).HasMaxLength(700);
            e.Property(r => r.EscalateTo).HasMaxLength(100);
            e.Property(r => r.UnsubscribeToken).HasMaxLength(64);
            e.HasIndex(r => r.UnsubscribeToken).IsUnique();
            e.HasIndex(r => r.EmailIndex);
            e.HasIndex(r => r.PhoneIndex);
            e.HasIndex(r => new { r.BirthMonth, r.BirthDay });
        });
        model.Entity<NotificationCampaign>(e =>
        {
            e.ToTable("notification_campaign");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(100);
            e.Property(c => c.Channel).HasMaxLength(16);
            e.Property(c => c.Kind).HasMaxLength(16);
            e.Property(c => c.Language).HasMaxLength(8);
            e.Property(c => c.Tag).HasMaxLength(32);
            e.Property(c => c.State).HasMaxLength(16);
        });
    }

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
        new("notifications", 2, "notification content, dedupe by event, holds, delivery reports", m =>
        {
            m.AddColumn<string>("DedupeKey", "notification", maxLength: 200, nullable: true);
            m.AddColumn<string>("RecipientKey", "notification", maxLength: 100, nullable: true);
            m.AddColumn<string>("CustomerCode", "notification", maxLength: 64, nullable: true);
            m.AddColumn<string>("Language", "notification", maxLength: 8, nullable: true);
            m.AddColumn<bool>("Urgent", "notification", nullable: false, defaultValue: false);
            m.AddColumn<DateTime>("NotBefore", "notification", nullable: true);
            m.AddColumn<DateTime>("DispatchedAt", "notification", nullable: true);
            m.AddColumn<DateTime>("RecordedAt", "notification", nullable: false, defaultValue: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            m.AddColumn<string>("Title", "notification", maxLength: 300, nullable: true);
            m.AddColumn<string>("Body", "notification", nullable: true);
            m.AddColumn<string>("HtmlBody", "notification", nullable: true);
            m.AddColumn<Guid>("CampaignId", "notification", nullable: true);
            m.AddColumn<string>("ProviderReference", "notification", maxLength: 100, nullable: true);
            m.AddColumn<string>("ProviderStatus", "notification", maxLength: 300, nullable: true);
            m.AddColumn<DateTimeOffset>("DeliveredAt", "notification", nullable: true);
            // Version 1 notified once per source message; an event that arrives again under a new message id (a
            // republish) must not notify again, so the event's identity becomes the key. Old rows keep theirs.
            m.Sql("UPDATE notification SET \"DedupeKey\" = \"Template\" || ':' || \"Subject\"");
            m.DropIndex("ix_notification_dedupe", "notification");
            m.CreateIndex("ix_notification_dedupe_key", "notification", ["DedupeKey", "Channel", "Recipient"], unique: true);
            m.CreateIndex("ix_notification_customer", "notification", ["CustomerCode", "RecordedAt"]);
            m.CreateIndex("ix_notification_state", "notification", ["State", "RecordedAt"]);
            m.CreateIndex("ix_notification_campaign", "notification", "CampaignId");
        }),
        new("notifications", 3, "create notification_recipient", m =>
        {
            m.CreateTable("notification_recipient", t => new
            {
                Key = t.Column<string>(maxLength: 100, nullable: false),
                Name = t.Column<string>(maxLength: 100, nullable: false),
                Email = t.Column<string>(maxLength: 254, nullable: true),
                Phone = t.Column<string>(maxLength: 32, nullable: true),
                Language = t.Column<string>(maxLength: 8, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 64, nullable: true),
                BirthMonth = t.Column<int>(nullable: true),
                BirthDay = t.Column<int>(nullable: true),
                QuietFrom = t.Column<int>(nullable: true),
                QuietUntil = t.Column<int>(nullable: true),
                EmailOptOut = t.Column<bool>(nullable: false),
                SmsOptOut = t.Column<bool>(nullable: false),
                Tags = t.Column<string>(maxLength: 700, nullable: false),
                EscalateTo = t.Column<string>(maxLength: 100, nullable: true),
                UnsubscribeToken = t.Column<string>(maxLength: 64, nullable: false),
                UpdatedAt = t.Column<DateTimeOffset>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_notification_recipient", x => x.Key));
            m.CreateIndex("ix_notification_recipient_token", "notification_recipient", "UnsubscribeToken", unique: true);
            m.CreateIndex("ix_notification_recipient_email", "notification_recipient", "Email");
            m.CreateIndex("ix_notification_recipient_phone", "notification_recipient", "Phone");
            m.CreateIndex("ix_notification_recipient_birthday", "notification_recipient", ["BirthMonth", "BirthDay"]);
        }),
        new("notifications", 4, "create notification_campaign", m => m.CreateTable("notification_campaign", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 100, nullable: false),
            Channel = t.Column<string>(maxLength: 16, nullable: false),
            Kind = t.Column<string>(maxLength: 16, nullable: true),
            Language = t.Column<string>(maxLength: 8, nullable: true),
            Tag = t.Column<string>(maxLength: 32, nullable: true),
            CustomerCodes = t.Column<string>(nullable: true),
            Content = t.Column<string>(nullable: false),
            State = t.Column<string>(maxLength: 16, nullable: false),
            Recipients = t.Column<int>(nullable: false),
            CreatedAt = t.Column<DateTimeOffset>(nullable: false),
            FannedOutAt = t.Column<DateTimeOffset>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_notification_campaign", x => x.Id))),
        new("notifications", 5, "seal recipients, addresses, names and message text; blind indexes for dedupe and address lookups", m =>
        {
            m.AddColumn<string>("RecipientIndex", "notification", maxLength: 64, nullable: false, defaultValue: "");
            m.AddColumn<string>("EmailIndex", "notification_recipient", maxLength: 64, nullable: false, defaultValue: "");
            m.AddColumn<string>("PhoneIndex", "notification_recipient", maxLength: 64, nullable: false, defaultValue: "");
            // The indexes start as the addresses themselves: the data step sees an index that is not yet a hash and computes it
            // from its (then sealed) source. Exact copies, so the dedupe index stays unique throughout.
            m.Sql("UPDATE notification SET \"RecipientIndex\" = \"Recipient\"");
            m.Sql("UPDATE notification_recipient SET \"EmailIndex\" = COALESCE(\"Email\", ''), \"PhoneIndex\" = COALESCE(\"Phone\", '')");
            m.DropIndex("ix_notification_dedupe_key", "notification");
            m.DropIndex("ix_notification_recipient_email", "notification_recipient");
            m.DropIndex("ix_notification_recipient_phone", "notification_recipient");
            m.CreateIndex("ix_notification_dedupe_recipient", "notification", ["DedupeKey", "Channel", "RecipientIndex"], unique: true);
            m.CreateIndex("ix_notification_recipient_email_index", "notification_recipient", "EmailIndex");
            m.CreateIndex("ix_notification_recipient_phone_index", "notification_recipient", "PhoneIndex");
            // SQLite does not enforce lengths; PostgreSQL's varchar would refuse an envelope.
            if (m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) != true)
                return;
            m.AlterColumn<string>("Recipient", "notification", nullable: false, oldMaxLength: 254);
            m.AlterColumn<string>("Title", "notification", nullable: true, oldMaxLength: 300, oldNullable: true);
            m.AlterColumn<string>("ProviderStatus", "notification", nullable: true, oldMaxLength: 300, oldNullable: true);
            m.AlterColumn<string>("Name", "notification_recipient", nullable: false, oldMaxLength: 100);
            m.AlterColumn<string>("Email", "notification_recipient", nullable: true, oldMaxLength: 254, oldNullable: true);
            m.AlterColumn<string>("Phone", "notification_recipient", nullable: true, oldMaxLength: 32, oldNullable: true);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("notification", "notification_recipient"),
        },
        new("notifications", 6, "notification.RecipientMustHold / OverRecordsOf (the right checked again at send time)", m =>
        {
            m.AddColumn<string>("RecipientMustHold", "notification", maxLength: 64, nullable: true);
            m.AddColumn<string>("OverRecordsOf", "notification", maxLength: 64, nullable: true);
        }),
    ];
}
