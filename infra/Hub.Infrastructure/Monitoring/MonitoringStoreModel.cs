using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Infrastructure.Monitoring;

/// <summary>Tables every host writes for the operations view: failed messages, heartbeats and metrics.</summary>
internal sealed class MonitoringStoreModel : IHubStoreModel
{
    public string Module => "monitoring";

    public void Configure(ModelBuilder model)
    {
        model.Entity<FailedMessage>(e =>
        {
            e.ToTable("failed_message");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedOnAdd();
            e.Property(m => m.MessageType).HasMaxLength(200);
            e.Property(m => m.Endpoint).HasMaxLength(200);
            e.Property(m => m.ExceptionType).HasMaxLength(300);
            e.Property(m => m.GroupId).HasMaxLength(32);
            e.Property(m => m.Status).HasMaxLength(16);
            e.HasIndex(m => new { m.MessageId, m.Endpoint });
            e.HasIndex(m => m.GroupId);
            e.HasIndex(m => m.Status);
            // The failed body is a copy of what sealed columns hold; search uses BusinessKeys, type and ids in clear.
            e.Property(m => m.Headers).IsEncrypted();
            e.Property(m => m.Body).IsEncrypted();
        });
        model.Entity<EndpointInstance>(e =>
        {
            e.ToTable("endpoint_instance");
            e.HasKey(i => i.InstanceId);
            e.Property(i => i.Endpoint).HasMaxLength(200);
        });
        model.Entity<EndpointMetricSample>(e =>
        {
            e.ToTable("endpoint_metric");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedOnAdd();
            e.HasIndex(s => s.At);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("monitoring", 1, "create failed_message, endpoint_instance, endpoint_metric", m =>
        {
            m.CreateTable("failed_message", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                MessageId = t.Column<Guid>(nullable: false),
                MessageType = t.Column<string>(maxLength: 200, nullable: false),
                ConversationId = t.Column<Guid>(nullable: true),
                CorrelationId = t.Column<Guid>(nullable: true),
                Endpoint = t.Column<string>(maxLength: 200, nullable: false),
                InputAddress = t.Column<string>(nullable: false),
                SourceAddress = t.Column<string>(nullable: true),
                ExceptionType = t.Column<string>(maxLength: 300, nullable: false),
                ExceptionMessage = t.Column<string>(nullable: false),
                StackTrace = t.Column<string>(nullable: true),
                FailurePoint = t.Column<string>(nullable: false),
                GroupId = t.Column<string>(maxLength: 32, nullable: false),
                FirstFailedAt = t.Column<DateTime>(nullable: false),
                LastFailedAt = t.Column<DateTime>(nullable: false),
                FailureCount = t.Column<int>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                RetryCount = t.Column<int>(nullable: false),
                RetriedAt = t.Column<DateTime>(nullable: true),
                ResolvedAt = t.Column<DateTime>(nullable: true),
                Edited = t.Column<bool>(nullable: false),
                BusinessKeys = t.Column<string>(nullable: false),
                ContentType = t.Column<string>(nullable: false),
                MessageTypeUrns = t.Column<string>(nullable: false),
                Headers = t.Column<string>(nullable: false),
                Body = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_failed_message", x => x.Id));
            m.CreateIndex("ix_failed_message_message", "failed_message", ["MessageId", "Endpoint"]);
            m.CreateIndex("ix_failed_message_group", "failed_message", "GroupId");
            m.CreateIndex("ix_failed_message_status", "failed_message", "Status");

            m.CreateTable("endpoint_instance", t => new
            {
                InstanceId = t.Column<Guid>(nullable: false),
                Endpoint = t.Column<string>(maxLength: 200, nullable: false),
                Queues = t.Column<string>(nullable: false),
                Host = t.Column<string>(nullable: false),
                ProcessId = t.Column<int>(nullable: false),
                StartedAt = t.Column<DateTime>(nullable: false),
                LastSeenAt = t.Column<DateTime>(nullable: false),
                IntervalSeconds = t.Column<double>(nullable: false),
                StoppedAt = t.Column<DateTime>(nullable: true),
                Health = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_endpoint_instance", x => x.InstanceId));

            m.CreateTable("endpoint_metric", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                InstanceId = t.Column<Guid>(nullable: false),
                At = t.Column<DateTime>(nullable: false),
                Seconds = t.Column<double>(nullable: false),
                Processed = t.Column<int>(nullable: false),
                Failed = t.Column<int>(nullable: false),
                Retried = t.Column<int>(nullable: false),
                MovedToError = t.Column<int>(nullable: false),
                ProcessingMs = t.Column<double>(nullable: false),
                CriticalMs = t.Column<double>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_endpoint_metric", x => x.Id));
            m.CreateIndex("ix_endpoint_metric_at", "endpoint_metric", "At");
        }),
        new("monitoring", 2, "encrypt failed messages' bodies and headers", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("failed_message"),
        },
    ];
}
