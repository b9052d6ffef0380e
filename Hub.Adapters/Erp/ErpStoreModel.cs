using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Erp;

/// <summary>
/// A document the ERP sent to <c>/soap/erp</c>, kept under (ERP partner, the ERP's document id) with the first answer, so a
/// repeat gets that answer and changes nothing (table <c>erp_inbound_document</c>).
/// </summary>
public sealed class ErpInboundDocument
{
    public string PartnerId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    /// <summary>The SOAP operation that brought it (ReportShipment, …).</summary>
    public string Operation { get; set; } = "";
    /// <summary>SHA-256 of the operation and the request as bound: the same document id with another body is refused.</summary>
    public string RequestHash { get; set; } = "";
    /// <summary>The first answer: the hub's receipt, also the id of the command and of the record it creates.</summary>
    public Guid ReceiptId { get; set; }
    /// <summary>True once the command is on the bus; until then a repeat sends it again (the consumers drop a receipt they hold).</summary>
    public bool Accepted { get; set; }
    /// <summary>When the document first arrived (UTC).</summary>
    public DateTime ReceivedAt { get; set; }
}

/// <summary>A document waiting in a polling ERP's mailbox until the ERP acknowledges it (table <c>erp_outbound_document</c>).</summary>
public sealed class ErpOutboundDocument
{
    /// <summary>Database-generated; orders the mailbox oldest first.</summary>
    public long Id { get; set; }
    public string PartnerId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    /// <summary>SalesOrder, CustomerChanged, …</summary>
    public string Kind { get; set; } = "";
    /// <summary>The document as XML text; sealed at rest with the column keys.</summary>
    public string Payload { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the ERP acknowledged it, or the push delivered it (UTC); null while pending.</summary>
    public DateTime? AcknowledgedAt { get; set; }
    /// <summary><see cref="ByErp"/> (the ERP acknowledged a fetch) or <see cref="ByPush"/> (the ERP answered the push).</summary>
    public string? AcknowledgedBy { get; set; }
    /// <summary>Push attempts so far (delivered or not).</summary>
    public int PushAttempts { get; set; }
    /// <summary>Why the last push failed; null once delivered or before any push.</summary>
    public string? LastPushError { get; set; }

    public const string ByErp = "erp";
    public const string ByPush = "push";
}

/// <summary>Tables of the ERP inbound service: the idempotent receiver and the outbound mailbox.</summary>
internal sealed class ErpStoreModel : IHubStoreModel
{
    public string Module => "erp-soap";

    public void Configure(ModelBuilder model)
    {
        model.Entity<ErpInboundDocument>(e =>
        {
            e.ToTable("erp_inbound_document");
            e.HasKey(d => new { d.PartnerId, d.DocumentId });
            e.Property(d => d.PartnerId).HasMaxLength(64);
            e.Property(d => d.DocumentId).HasMaxLength(128);
            e.Property(d => d.Operation).HasMaxLength(64);
            e.Property(d => d.RequestHash).HasMaxLength(64);
        });
        model.Entity<ErpOutboundDocument>(e =>
        {
            e.ToTable("erp_outbound_document");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedOnAdd();
            e.Property(d => d.PartnerId).HasMaxLength(64);
            e.Property(d => d.DocumentId).HasMaxLength(128);
            e.Property(d => d.Kind).HasMaxLength(64);
            e.Property(d => d.AcknowledgedBy).HasMaxLength(8);
            e.Property(d => d.LastPushError).HasMaxLength(500);
            // A CustomerChanged document carries the customer's phones and bank account until the ERP takes it.
            e.Property(d => d.Payload).IsEncrypted();
            e.HasIndex(d => new { d.PartnerId, d.DocumentId }).IsUnique();
            e.HasIndex(d => new { d.PartnerId, d.AcknowledgedAt, d.Id });
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("erp-soap", 1, "create erp_inbound_document and erp_outbound_document", m =>
        {
            m.CreateTable("erp_inbound_document", t => new
            {
                PartnerId = t.Column<string>(maxLength: 64, nullable: false),
                DocumentId = t.Column<string>(maxLength: 128, nullable: false),
                Operation = t.Column<string>(maxLength: 64, nullable: false),
                RequestHash = t.Column<string>(maxLength: 64, nullable: false),
                ReceiptId = t.Column<Guid>(nullable: false),
                Accepted = t.Column<bool>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_erp_inbound_document", x => new { x.PartnerId, x.DocumentId }));

            m.CreateTable("erp_outbound_document", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                PartnerId = t.Column<string>(maxLength: 64, nullable: false),
                DocumentId = t.Column<string>(maxLength: 128, nullable: false),
                Kind = t.Column<string>(maxLength: 64, nullable: false),
                Payload = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                AcknowledgedAt = t.Column<DateTime>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_erp_outbound_document", x => x.Id));
            m.CreateIndex("ux_erp_outbound_document_partner_document", "erp_outbound_document", ["PartnerId", "DocumentId"], unique: true);
            m.CreateIndex("ix_erp_outbound_document_pending", "erp_outbound_document", ["PartnerId", "AcknowledgedAt", "Id"]);
        }),
        new("erp-soap", 2, "push delivery of outbound documents: who acknowledged, push attempts and the last failure", m =>
        {
            m.AddColumn<string>("AcknowledgedBy", "erp_outbound_document", maxLength: 8, nullable: true);
            m.AddColumn<int>("PushAttempts", "erp_outbound_document", nullable: false, defaultValue: 0);
            m.AddColumn<string>("LastPushError", "erp_outbound_document", maxLength: 500, nullable: true);
        }),
        new("erp-soap", 3, "encrypt outbound documents' payloads", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("erp_outbound_document"),
        },
    ];
}
