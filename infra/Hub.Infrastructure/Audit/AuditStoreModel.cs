using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Infrastructure.Audit;

/// <summary>Where the message audit is read and written.</summary>
public static class AuditStore
{
    /// <summary>A new context on the database holding <see cref="AuditedMessage"/>s (its own file on SQLite); dispose it.</summary>
    public static HubDbContext OpenAudit(this HubModuleStore store) => store.Open(AuditStoreModel.ModuleName);
}

/// <summary>Store model of the message audit, shared by every host.</summary>
internal sealed class AuditStoreModel : IHubStoreModel
{
    public const string ModuleName = "audit";

    public string Module => ModuleName;

    // Every consumed message adds a row: on SQLite they go to their own file, so the audit's batches never wait for
    // (or hold up) the write lock the inbox/outbox commits of the flow it observes take.
    public bool OwnSqliteFile => true;

    public void Configure(ModelBuilder model) => model.Entity<AuditedMessage>(e =>
    {
        e.ToTable("audit_message");
        e.HasKey(m => m.Id);
        e.Property(m => m.Id).ValueGeneratedOnAdd();
        e.Property(m => m.MessageType).HasMaxLength(200);
        e.Property(m => m.Endpoint).HasMaxLength(200);
        e.Property(m => m.Outcome).HasMaxLength(16);
        e.HasIndex(m => m.ConversationId);
        e.HasIndex(m => m.CorrelationId);
        e.HasIndex(m => m.ProcessedAt);
        // Bodies carry phones, ID numbers and bank accounts; what the operations view searches on stays in clear columns.
        e.Property(m => m.Headers).IsEncrypted();
        e.Property(m => m.Body).IsEncrypted();
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("audit", 1, "create audit_message", m =>
        {
            m.CreateTable("audit_message", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                MessageId = t.Column<Guid>(nullable: false),
                MessageType = t.Column<string>(maxLength: 200, nullable: false),
                ConversationId = t.Column<Guid>(nullable: true),
                CorrelationId = t.Column<Guid>(nullable: true),
                InitiatorId = t.Column<Guid>(nullable: true),
                SourceAddress = t.Column<string>(nullable: true),
                Endpoint = t.Column<string>(maxLength: 200, nullable: false),
                SentAt = t.Column<DateTime>(nullable: true),
                ProcessedAt = t.Column<DateTime>(nullable: false),
                ProcessingMs = t.Column<double>(nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                Error = t.Column<string>(nullable: true),
                BusinessKeys = t.Column<string>(nullable: false),
                Headers = t.Column<string>(nullable: false),
                Body = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_audit_message", x => x.Id));
            m.CreateIndex("ix_audit_message_conversation", "audit_message", "ConversationId");
            m.CreateIndex("ix_audit_message_correlation", "audit_message", "CorrelationId");
            m.CreateIndex("ix_audit_message_processed", "audit_message", "ProcessedAt");
        }),
        new("audit", 2, "encrypt audited bodies and headers", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("audit_message"),
        },
        // A SQLite store whose move into the audit file died before the moved rows were sealed (a window before the move
        // sealed first) kept them in clear: sealed here, once.
        new("audit", 3, "seal audit rows an interrupted move left in clear", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("audit_message"),
        },
    ];
}
