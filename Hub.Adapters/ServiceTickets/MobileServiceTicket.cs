using Crm.Contracts.Customers;
using Crm.Contracts.ServiceTickets;
using Hub.CrmStore.Customers;
using Hub.Adapters.Identity;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.ServiceTickets;

/// <summary>
/// A service ticket as the mobile lists show it (table <c>mobile_ticket</c>): a read model kept from the ticket events, with the
/// intake office and region of the representative who took it, so lists can be scoped without a join.
/// </summary>
public sealed class MobileTicket
{
    public Guid TicketId { get; set; }
    public string TicketNumber { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Status { get; set; } = "Open";
    public string? Reason { get; set; }
    public string OpenedBy { get; set; } = "";
    public string IntakeOffice { get; set; } = "";
    public string IntakeRegion { get; set; } = "";
    /// <summary>The office it was dispatched to.</summary>
    public string? OfficeId { get; set; }
    /// <summary>The engineer of its latest field work order.</summary>
    public string? EngineerUserId { get; set; }
    /// <summary>The ticket's version after the step shown (its ETag).</summary>
    public long Version { get; set; }
    /// <summary>History position of the step shown, so an older event arriving late changes nothing.</summary>
    public int Sequence { get; set; }
    /// <summary>UTC ticks of intake: sortable on both stores.</summary>
    public long OpenedAtTicks { get; set; }
    /// <summary>UTC ticks of the step shown.</summary>
    public long StatusAtTicks { get; set; }
}

/// <summary>A field work order (派工单) as the engineer's and the supervisor's lists show it (table <c>mobile_field_work_order</c>).</summary>
public sealed class MobileFieldWorkOrder
{
    public Guid FieldWorkOrderId { get; set; }
    public string Number { get; set; } = "";
    public Guid TicketId { get; set; }
    public string TicketNumber { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string Subject { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string EngineerUserId { get; set; } = "";
    public string Status { get; set; } = "Issued";
    /// <summary>The ticket's state (the job may wait for parts while this order is closed).</summary>
    public string TicketStatus { get; set; } = "";
    /// <summary>History position of the ticket step this row shows.</summary>
    public int Sequence { get; set; }
    /// <summary>UTC ticks of issue: sortable on both stores.</summary>
    public long IssuedAtTicks { get; set; }
}

/// <summary>
/// Keeps <see cref="MobileTicket"/> and <see cref="MobileFieldWorkOrder"/> from <see cref="ServiceTicketStatusChanged"/>, in whichever order the
/// events arrive, and moves the tickets of a merged-away customer to its survivor (<see cref="CustomersMerged"/>): a repeat finds nothing left
/// to move, and a ticket event of the duplicate arriving after the merge is listed under the survivor.
/// </summary>
public sealed class MobileServiceTicketProjection(HubDbContext db) : IConsumer<ServiceTicketStatusChanged>, IConsumer<CustomersMerged>
{
    public async Task Consume(ConsumeContext<CustomersMerged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await db.Set<MobileTicket>().Where(t => t.CustomerCode == m.DuplicateCode)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerCode, m.SurvivorCode), ct);
        await db.Set<MobileFieldWorkOrder>().Where(f => f.CustomerCode == m.DuplicateCode)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.CustomerCode, m.SurvivorCode), ct);
    }

    public async Task Consume(ConsumeContext<ServiceTicketStatusChanged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var row = await db.Set<MobileTicket>().FirstOrDefaultAsync(t => t.TicketId == m.TicketId, ct);
        if (row is null)
        {
            var opener = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == m.OpenedBy, ct);
            db.Add(row = new MobileTicket
            {
                TicketId = m.TicketId, TicketNumber = m.TicketNumber, OpenedBy = m.OpenedBy, IntakeOffice = opener?.Office ?? "", IntakeRegion = opener?.Region ?? "",
                OpenedAtTicks = m.OccurredAt.UtcTicks,
            });
        }
        else if (m.Sequence <= row.Sequence)
        {
            return;   // this step again, or one older than the row shows
        }
        if (m.Sequence == 1)
            row.OpenedAtTicks = m.OccurredAt.UtcTicks;
        var customerCode = await db.SurvivingCodeAsync(m.CustomerCode, ct);
        row.CustomerCode = customerCode;
        row.Kind = m.Kind;
        row.Subject = m.Subject;
        row.Status = m.Status;
        row.Reason = m.Reason;
        row.OfficeId = m.OfficeId;
        row.EngineerUserId = m.FieldWorkOrders.MaxBy(f => f.Sequence)?.EngineerUserId;
        row.Version = m.Version;
        row.Sequence = m.Sequence;
        row.StatusAtTicks = m.OccurredAt.UtcTicks;

        var ids = m.FieldWorkOrders.Select(f => f.FieldWorkOrderId).ToArray();
        var orders = await db.Set<MobileFieldWorkOrder>().Where(f => ids.Contains(f.FieldWorkOrderId)).ToDictionaryAsync(f => f.FieldWorkOrderId, ct);
        foreach (var f in m.FieldWorkOrders)
        {
            if (!orders.TryGetValue(f.FieldWorkOrderId, out var order))
                db.Add(order = new MobileFieldWorkOrder { FieldWorkOrderId = f.FieldWorkOrderId, TicketId = m.TicketId });
            order.Number = f.Number;
            order.TicketNumber = m.TicketNumber;
            order.CustomerCode = customerCode;
            order.Subject = m.Subject;
            order.OfficeId = f.OfficeId;
            order.EngineerUserId = f.EngineerUserId;
            order.Status = f.Status;
            order.TicketStatus = m.Status;
            order.Sequence = m.Sequence;
            order.IssuedAtTicks = f.IssuedAt.UtcTicks;
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The projection runs on its own endpoint.</summary>
public sealed class MobileServiceTicketProjectionDefinition : ConsumerDefinition<MobileServiceTicketProjection>
{
    public MobileServiceTicketProjectionDefinition() => EndpointName = HubQueues.MobileServiceTickets;
}

/// <summary>Tables of <see cref="MobileTicket"/> and <see cref="MobileFieldWorkOrder"/>.</summary>
internal sealed class MobileServiceTicketStoreModel : IHubStoreModel
{
    public string Module => "mobile-service-tickets";

    public void Configure(ModelBuilder model)
    {
        model.Entity<MobileTicket>(e =>
        {
            e.ToTable("mobile_ticket");
            e.HasKey(t => t.TicketId);
            e.Property(t => t.TicketNumber).HasMaxLength(32);
            e.Property(t => t.CustomerCode).HasMaxLength(32);
            e.Property(t => t.Kind).HasMaxLength(16);
            e.Property(t => t.Subject).HasMaxLength(200);
            e.Property(t => t.Status).HasMaxLength(32);
            e.Property(t => t.OpenedBy).HasMaxLength(64);
            e.Property(t => t.IntakeOffice).HasMaxLength(64);
            e.Property(t => t.IntakeRegion).HasMaxLength(64);
            e.Property(t => t.OfficeId).HasMaxLength(64);
            e.Property(t => t.EngineerUserId).HasMaxLength(64);
            e.HasIndex(t => new { t.OpenedBy, t.OpenedAtTicks });
            e.HasIndex(t => new { t.OfficeId, t.OpenedAtTicks });
            e.HasIndex(t => new { t.IntakeOffice, t.OpenedAtTicks });
        });
        model.Entity<MobileFieldWorkOrder>(e =>
        {
            e.ToTable("mobile_field_work_order");
            e.HasKey(f => f.FieldWorkOrderId);
            e.Property(f => f.Number).HasMaxLength(40);
            e.Property(f => f.TicketNumber).HasMaxLength(32);
            e.Property(f => f.CustomerCode).HasMaxLength(32);
            e.Property(f => f.Subject).HasMaxLength(200);
            e.Property(f => f.OfficeId).HasMaxLength(64);
            e.Property(f => f.EngineerUserId).HasMaxLength(64);
            e.Property(f => f.Status).HasMaxLength(16);
            e.Property(f => f.TicketStatus).HasMaxLength(32);
            e.HasIndex(f => new { f.EngineerUserId, f.IssuedAtTicks });
            e.HasIndex(f => new { f.OfficeId, f.IssuedAtTicks });
            e.HasIndex(f => f.TicketId);
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("mobile-service-tickets", 1, "create mobile_ticket and mobile_field_work_order", m =>
        {
            m.CreateTable("mobile_ticket", t => new
            {
                TicketId = t.Column<Guid>(nullable: false),
                TicketNumber = t.Column<string>(maxLength: 32, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Subject = t.Column<string>(maxLength: 200, nullable: false),
                Status = t.Column<string>(maxLength: 32, nullable: false),
                Reason = t.Column<string>(nullable: true),
                OpenedBy = t.Column<string>(maxLength: 64, nullable: false),
                IntakeOffice = t.Column<string>(maxLength: 64, nullable: false),
                IntakeRegion = t.Column<string>(maxLength: 64, nullable: false),
                OfficeId = t.Column<string>(maxLength: 64, nullable: true),
                EngineerUserId = t.Column<string>(maxLength: 64, nullable: true),
                Version = t.Column<long>(nullable: false),
                Sequence = t.Column<int>(nullable: false),
                OpenedAtTicks = t.Column<long>(nullable: false),
                StatusAtTicks = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_ticket", x => x.TicketId));
            m.CreateIndex("ix_mobile_ticket_opened_by", "mobile_ticket", ["OpenedBy", "OpenedAtTicks"]);
            m.CreateIndex("ix_mobile_ticket_office", "mobile_ticket", ["OfficeId", "OpenedAtTicks"]);
            m.CreateIndex("ix_mobile_ticket_intake_office", "mobile_ticket", ["IntakeOffice", "OpenedAtTicks"]);

            m.CreateTable("mobile_field_work_order", t => new
            {
                FieldWorkOrderId = t.Column<Guid>(nullable: false),
                Number = t.Column<string>(maxLength: 40, nullable: false),
                TicketId = t.Column<Guid>(nullable: false),
                TicketNumber = t.Column<string>(maxLength: 32, nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: false),
                Subject = t.Column<string>(maxLength: 200, nullable: false),
                OfficeId = t.Column<string>(maxLength: 64, nullable: false),
                EngineerUserId = t.Column<string>(maxLength: 64, nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                TicketStatus = t.Column<string>(maxLength: 32, nullable: false),
                Sequence = t.Column<int>(nullable: false),
                IssuedAtTicks = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_field_work_order", x => x.FieldWorkOrderId));
            m.CreateIndex("ix_mobile_field_work_order_engineer", "mobile_field_work_order", ["EngineerUserId", "IssuedAtTicks"]);
            m.CreateIndex("ix_mobile_field_work_order_office", "mobile_field_work_order", ["OfficeId", "IssuedAtTicks"]);
            m.CreateIndex("ix_mobile_field_work_order_ticket", "mobile_field_work_order", "TicketId");
        }),
    ];
}
