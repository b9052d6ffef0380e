using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hub.Persistence;

/// <summary>A recorded schema migration (table <c>hub_schema_versions</c>).</summary>
public sealed class HubSchemaVersion
{
    /// <summary>Module name.</summary>
    public string Module { get; set; } = "";

    /// <summary>Migration version within the module.</summary>
    public int Version { get; set; }

    /// <summary>Migration name.</summary>
    public string Name { get; set; } = "";

    /// <summary>When it was applied (UTC).</summary>
    public DateTime AppliedAt { get; set; }
}

/// <summary>Mappings and migrations of the infrastructure tables (module <c>hub</c>).</summary>
internal static class HubInfrastructureModel
{
    public const string ModuleName = "hub";
    public const string VersionsTable = "hub_schema_versions";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<HubSchemaVersion>(e =>
        {
            e.ToTable(VersionsTable);
            e.HasKey(v => new { v.Module, v.Version });
            SnakeCase(e);
        });

        model.Entity<HubInboxState>(e =>
        {
            e.ToTable("hub_inbox_state");
            e.HasKey(s => new { s.MessageId, s.ConsumerId });
            e.Property(s => s.Version).IsConcurrencyToken();
            e.HasIndex(s => s.Delivered);
            SnakeCase(e);
        });

        model.Entity<HubOutboxMessage>(e =>
        {
            e.ToTable("hub_outbox_message");
            e.HasKey(m => m.SequenceNumber);
            e.Property(m => m.SequenceNumber).ValueGeneratedOnAdd();
            e.HasIndex(m => new { m.InboxMessageId, m.InboxConsumerId, m.SequenceNumber });
            e.HasIndex(m => m.CreatedAt);
            StoredMessage(e);
            SnakeCase(e);
        });

        model.Entity<HubScheduledMessage>(e =>
        {
            e.ToTable("hub_scheduled_message");
            e.HasKey(m => m.TokenId);
            e.Property(m => m.TokenId).ValueGeneratedNever();
            e.HasIndex(m => m.ScheduledTime);
            StoredMessage(e);
            SnakeCase(e);
        });
    }

    private static void StoredMessage<T>(EntityTypeBuilder<T> e) where T : HubStoredMessage
    {
        e.Property(m => m.SourceAddress).HasConversion<string>();
        e.Property(m => m.DestinationAddress).HasConversion<string>();
        e.Property(m => m.ResponseAddress).HasConversion<string>();
        e.Property(m => m.FaultAddress).HasConversion<string>();
        e.Property(m => m.ContentType).HasMaxLength(256);
        // A message waiting here (for delivery, or for a deadline days away) carries the same phones and bank accounts as
        // the sealed columns it came from.
        e.Property(m => m.Body).IsEncrypted();
        e.Property(m => m.Headers).IsEncrypted();
    }

    private static void SnakeCase(EntityTypeBuilder e)
    {
        foreach (var property in e.Metadata.GetProperties())
            property.SetColumnName(ToSnakeCase(property.Name));
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>The bookkeeping table; created by the migrator itself before any migration runs.</summary>
    public static void CreateVersionsTable(MigrationBuilder m) =>
        m.CreateTable(VersionsTable, t => new
        {
            module = t.Column<string>(maxLength: 100, nullable: false),
            version = t.Column<int>(nullable: false),
            name = t.Column<string>(maxLength: 300, nullable: false),
            applied_at = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_hub_schema_versions", x => new { x.module, x.version }));

    /// <summary>The infrastructure's own migrations; append new versions, never edit applied ones.</summary>
    public static IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new(ModuleName, 1, "create inbox, outbox and scheduler tables", m =>
        {
            m.CreateTable("hub_inbox_state", t => new
            {
                message_id = t.Column<Guid>(nullable: false),
                consumer_id = t.Column<Guid>(nullable: false),
                received = t.Column<DateTime>(nullable: false),
                receive_count = t.Column<int>(nullable: false),
                consumed = t.Column<DateTime>(nullable: true),
                delivered = t.Column<DateTime>(nullable: true),
                last_sequence_number = t.Column<long>(nullable: true),
                lock_id = t.Column<Guid>(nullable: false),
                version = t.Column<int>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_hub_inbox_state", x => new { x.message_id, x.consumer_id }));
            m.CreateIndex("ix_hub_inbox_state_delivered", "hub_inbox_state", "delivered");

            m.CreateTable("hub_outbox_message", t => new
            {
                sequence_number = t.Column<long>(nullable: false).AutoIncrement(),
                inbox_message_id = t.Column<Guid>(nullable: true),
                inbox_consumer_id = t.Column<Guid>(nullable: true),
                message_id = t.Column<Guid>(nullable: false),
                content_type = t.Column<string>(maxLength: 256, nullable: false),
                message_type = t.Column<string>(nullable: false),
                body = t.Column<string>(nullable: false),
                headers = t.Column<string>(nullable: true),
                properties = t.Column<string>(nullable: true),
                conversation_id = t.Column<Guid>(nullable: true),
                correlation_id = t.Column<Guid>(nullable: true),
                initiator_id = t.Column<Guid>(nullable: true),
                request_id = t.Column<Guid>(nullable: true),
                source_address = t.Column<string>(nullable: true),
                destination_address = t.Column<string>(nullable: true),
                response_address = t.Column<string>(nullable: true),
                fault_address = t.Column<string>(nullable: true),
                sent_time = t.Column<DateTime>(nullable: false),
                expiration_time = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                lock_id = t.Column<Guid>(nullable: true),
                locked_until = t.Column<DateTime>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_hub_outbox_message", x => x.sequence_number));
            m.CreateIndex("ix_hub_outbox_message_inbox", "hub_outbox_message",
                ["inbox_message_id", "inbox_consumer_id", "sequence_number"]);
            m.CreateIndex("ix_hub_outbox_message_created_at", "hub_outbox_message", "created_at");

            m.CreateTable("hub_scheduled_message", t => new
            {
                token_id = t.Column<Guid>(nullable: false),
                scheduled_time = t.Column<DateTime>(nullable: false),
                message_id = t.Column<Guid>(nullable: false),
                content_type = t.Column<string>(maxLength: 256, nullable: false),
                message_type = t.Column<string>(nullable: false),
                body = t.Column<string>(nullable: false),
                headers = t.Column<string>(nullable: true),
                properties = t.Column<string>(nullable: true),
                conversation_id = t.Column<Guid>(nullable: true),
                correlation_id = t.Column<Guid>(nullable: true),
                initiator_id = t.Column<Guid>(nullable: true),
                request_id = t.Column<Guid>(nullable: true),
                source_address = t.Column<string>(nullable: true),
                destination_address = t.Column<string>(nullable: true),
                response_address = t.Column<string>(nullable: true),
                fault_address = t.Column<string>(nullable: true),
                sent_time = t.Column<DateTime>(nullable: false),
                expiration_time = t.Column<DateTime>(nullable: true),
                created_at = t.Column<DateTime>(nullable: false),
                lock_id = t.Column<Guid>(nullable: true),
                locked_until = t.Column<DateTime>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_hub_scheduled_message", x => x.token_id));
            m.CreateIndex("ix_hub_scheduled_message_scheduled_time", "hub_scheduled_message", "scheduled_time");
        }),
        // Columns are text already; only the rows waiting now need sealing.
        new(ModuleName, 2, "encrypt the bodies and headers of outbox and scheduled messages", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("hub_outbox_message", "hub_scheduled_message"),
        },
    ];
}
