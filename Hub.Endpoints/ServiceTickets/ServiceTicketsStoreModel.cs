using Hub.Persistence.History;
using System.Text.Json;
using Crm.Domain;
using Crm.Domain.ServiceTickets;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// Tables of the service tickets capability: the <see cref="ServiceTicket"/> aggregate (its history as one JSON column, its
/// field work orders and follow-up visits in their own tables) and the ticket saga's state.
/// </summary>
internal sealed class ServiceTicketsStoreModel : IHubStoreModel
{
    /// <summary>Shadow columns the wire needs and the domain does not keep: the customer's code, who reported it, whether to follow up, the row version (ETag).</summary>
    public const string CustomerCode = nameof(CustomerCode), ContactId = nameof(ContactId), FollowUpWanted = nameof(FollowUpWanted), Version = nameof(Version);

    public string Module => "service-tickets";

    public void Configure(ModelBuilder model)
    {
        model.Entity<ServiceTicket>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_service_ticket");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Number).HasMaxLength(32);
            e.HasIndex(t => t.Number).IsUnique();
            e.Property(t => t.Channel).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.Subject).HasMaxLength(200);
            // The caller's own words (issue 8): a ticket has no fields of its own for a call-back number or the site's address,
            // so they are dictated into the description; sealed at rest, never queried (the subject stays searchable).
            e.Property(t => t.Description).IsEncrypted();
            // The solution given, on the phone or as the field report (which names the site contact): sealed alike.
            e.Property(t => t.Resolution).IsEncrypted();
            e.Property(t => t.ProductCode).HasMaxLength(32);
            e.Property(t => t.OpenedBy).HasMaxLength(64);
            e.Property(t => t.Status).HasMaxLength(32);
            e.Property(t => t.OfficeId).HasMaxLength(64);
            e.Property<string>(CustomerCode).HasMaxLength(32);
            e.Property<Guid?>(ContactId);
            e.Property<bool>(FollowUpWanted);
            e.Property<long>(Version).IsConcurrencyToken();
            e.Ignore(t => t.History);
            e.Ignore(t => t.CurrentFieldWorkOrder);
            e.Ignore(t => t.CurrentFollowUp);
            // The history belongs to the ticket and is only read with it: one JSON column over the private list.
            e.Property<List<StateChange>>("_history")
                .HasColumnName("History")
                .HasConversion(
                    h => JsonSerializer.Serialize(h, JsonSerializerOptions.Web),
                    json => JsonSerializer.Deserialize<List<StateChange>>(json, JsonSerializerOptions.Web) ?? new List<StateChange>(),
                    new ValueComparer<List<StateChange>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
            e.HasMany(t => t.FieldWorkOrders).WithOne().HasForeignKey(f => f.TicketId);
            e.Navigation(t => t.FieldWorkOrders).HasField("_fieldWorkOrders").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasMany(t => t.FollowUpVisits).WithOne().HasForeignKey(f => f.TicketId);
            e.Navigation(t => t.FollowUpVisits).HasField("_followUps").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        model.Entity<FieldWorkOrder>(e =>
        {
            // 003 §4.4.5.2: every change on record (who, when, channel or message, before and after).
            e.KeepsHistory();
            e.ToTable("crm_field_work_order");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedNever();
            e.Property(f => f.Number).HasMaxLength(40);
            e.Property(f => f.OfficeId).HasMaxLength(64);
            e.Property(f => f.EngineerId).HasMaxLength(64);
            e.Property(f => f.IssuedBy).HasMaxLength(64);
            e.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.Outcome).HasConversion<string>().HasMaxLength(24);
            e.Property(f => f.PartsNeed).HasConversion<string>().HasMaxLength(24);
            e.Property(f => f.PartsUsed).HasConversion(
                p => JsonSerializer.Serialize(p, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<PartUsed[]>(json, JsonSerializerOptions.Web) ?? Array.Empty<PartUsed>(),
                new ValueComparer<IReadOnlyList<PartUsed>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));
            // The engineer's report names the site contact and the address visited: sealed like the ticket's description.
            e.Property(f => f.Report).IsEncrypted();
            e.Ignore(f => f.IsOpen);
            e.HasIndex(f => f.EngineerId);
        });

        model.Entity<FollowUpVisit>(e =>
        {
            e.ToTable("crm_follow_up_visit");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedNever();
            e.Property(f => f.AssignedTo).HasMaxLength(64);
            e.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
            // What the customer said on the follow-up call, in their words: sealed like the description.
            e.Property(f => f.Remarks).IsEncrypted();
        });

        model.Entity<ServiceTicketState>(e =>
        {
            e.ToTable("crm_service_ticket_saga");
            e.HasKey(s => s.CorrelationId);
            e.Property(s => s.Version).IsConcurrencyToken();
            e.Property(s => s.CurrentState).HasMaxLength(32);
            e.Property(s => s.TicketNumber).HasMaxLength(32);
            e.Property(s => s.Status).HasMaxLength(32);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("service-tickets", 1, "create crm_service_ticket, crm_field_work_order, crm_follow_up_visit, crm_service_ticket_saga", m =>
        {
            m.CreateTable("crm_service_ticket", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 32, nullable: false),
                CustomerId = t.Column<Guid>(nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: false),
                ContactId = t.Column<Guid>(nullable: true),
                ProductCode = t.Column<string>(maxLength: 32, nullable: true),
                ProductInstanceId = t.Column<Guid>(nullable: true),
                Channel = t.Column<string>(maxLength: 16, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Subject = t.Column<string>(maxLength: 200, nullable: false),
                Description = t.Column<string>(maxLength: 4000, nullable: false),
                OpenedBy = t.Column<string>(maxLength: 64, nullable: false),
                OpenedAt = t.Column<DateTimeOffset>(nullable: false),
                Status = t.Column<string>(maxLength: 32, nullable: false),
                StatusChangedAt = t.Column<DateTimeOffset>(nullable: false),
                Resolution = t.Column<string>(nullable: true),
                OfficeId = t.Column<string>(maxLength: 64, nullable: true),
                FollowUpWanted = t.Column<bool>(nullable: false),
                History = t.Column<string>(nullable: false),
                Version = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_service_ticket", x => x.Id));
            m.CreateIndex("ix_crm_service_ticket_number", "crm_service_ticket", "Number", unique: true);

            m.CreateTable("crm_field_work_order", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                TicketId = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 40, nullable: false),
                Sequence = t.Column<int>(nullable: false),
                OfficeId = t.Column<string>(maxLength: 64, nullable: false),
                EngineerId = t.Column<string>(maxLength: 64, nullable: false),
                IssuedBy = t.Column<string>(maxLength: 64, nullable: false),
                IssuedAt = t.Column<DateTimeOffset>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                AcceptedAt = t.Column<DateTimeOffset>(nullable: true),
                ClosedAt = t.Column<DateTimeOffset>(nullable: true),
                Outcome = t.Column<string>(maxLength: 24, nullable: true),
                PartsNeed = t.Column<string>(maxLength: 24, nullable: true),
                Report = t.Column<string>(nullable: true),
                PartsUsed = t.Column<string>(nullable: false),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_field_work_order", x => x.Id);
                t.ForeignKey("fk_crm_field_work_order_ticket", x => x.TicketId, "crm_service_ticket", "Id");
            });
            m.CreateIndex("ix_crm_field_work_order_ticket", "crm_field_work_order", "TicketId");
            m.CreateIndex("ix_crm_field_work_order_engineer", "crm_field_work_order", "EngineerId");

            m.CreateTable("crm_follow_up_visit", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                TicketId = t.Column<Guid>(nullable: false),
                AssignedTo = t.Column<string>(maxLength: 64, nullable: false),
                DueAt = t.Column<DateTimeOffset>(nullable: false),
                Attempts = t.Column<int>(nullable: false),
                LastAttemptAt = t.Column<DateTimeOffset>(nullable: true),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                Satisfaction = t.Column<int>(nullable: true),
                Remarks = t.Column<string>(nullable: true),
            }, constraints: t =>
            {
                t.PrimaryKey("pk_crm_follow_up_visit", x => x.Id);
                t.ForeignKey("fk_crm_follow_up_visit_ticket", x => x.TicketId, "crm_service_ticket", "Id");
            });
            m.CreateIndex("ix_crm_follow_up_visit_ticket", "crm_follow_up_visit", "TicketId");

            m.CreateTable("crm_service_ticket_saga", t => new
            {
                CorrelationId = t.Column<Guid>(nullable: false),
                Version = t.Column<int>(nullable: false),
                CurrentState = t.Column<string>(maxLength: 32, nullable: false),
                TicketNumber = t.Column<string>(maxLength: 32, nullable: false),
                Status = t.Column<string>(maxLength: 32, nullable: false),
                Sequence = t.Column<int>(nullable: false),
                EnteredAt = t.Column<DateTimeOffset>(nullable: false),
                OpenedBy = t.Column<string>(nullable: false),
                OfficeId = t.Column<string>(nullable: true),
                EngineerUserId = t.Column<string>(nullable: true),
                FollowUpWanted = t.Column<bool>(nullable: false),
                FollowUpVisitId = t.Column<Guid>(nullable: true),
                FollowUpAttempts = t.Column<int>(nullable: false),
                AlarmsRaised = t.Column<int>(nullable: false),
                DeadlineTokenId = t.Column<Guid>(nullable: true),
                FollowUpTokenId = t.Column<Guid>(nullable: true),
                UpdatedAt = t.Column<DateTimeOffset>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_service_ticket_saga", x => x.CorrelationId));
            m.CreateIndex("ix_crm_service_ticket_saga_state", "crm_service_ticket_saga", "CurrentState");
        }),
        new("service-tickets", 2, "encrypt the tickets' description and resolution, field reports and follow-up remarks", m =>
        {
            // SQLite does not enforce lengths; PostgreSQL's varchar would refuse an envelope (report and remarks are text already).
            if (m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) == true)
                m.AlterColumn<string>("Description", "crm_service_ticket", nullable: false, oldMaxLength: 4000);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("crm_service_ticket", "crm_field_work_order", "crm_follow_up_visit"),
        },
    ];
}
