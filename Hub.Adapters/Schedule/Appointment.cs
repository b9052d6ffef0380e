using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Schedule;

/// <summary>What a planned appointment is for (003 §5.3 日程安排).</summary>
public enum AppointmentKind
{
    /// <summary>A visit at the customer's site.</summary>
    CustomerVisit,
    /// <summary>A telephone call.</summary>
    Call,
    /// <summary>A meeting.</summary>
    Meeting,
}

/// <summary>
/// An appointment a user plans in their own schedule (table <c>mobile_appointment</c>). Times are UTC ticks, so a date-range
/// list filters and sorts alike on SQLite and PostgreSQL.
/// </summary>
public sealed class Appointment
{
    public Guid Id { get; set; }
    /// <summary>The user whose schedule it is; nobody else sees it.</summary>
    public string OwnerUserId { get; set; } = "";
    public AppointmentKind Kind { get; set; }
    public string Title { get; set; } = "";
    public long StartsAtTicks { get; set; }
    public long EndsAtTicks { get; set; }
    /// <summary>The customer it concerns, one in the owner's data scope when it was set.</summary>
    public string? CustomerCode { get; set; }
    public string? Location { get; set; }
    public string? Notes { get; set; }
    /// <summary>Incremented by every change: the ETag.</summary>
    public long Version { get; set; }
    public long CreatedAtTicks { get; set; }
}

/// <summary>The table of <see cref="Appointment"/>.</summary>
public sealed class ScheduleStoreModel : IHubStoreModel
{
    public string Module => "mobile-schedule";

    public void Configure(ModelBuilder model) => model.Entity<Appointment>(e =>
    {
        e.ToTable("mobile_appointment");
        e.HasKey(a => a.Id);
        e.Property(a => a.OwnerUserId).HasMaxLength(64);
        e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(a => a.Title).HasMaxLength(Appointments.MaxTitle);
        e.Property(a => a.CustomerCode).HasMaxLength(32);
        e.Property(a => a.Location).HasMaxLength(Appointments.MaxLocation);
        e.Property(a => a.Notes).HasMaxLength(Appointments.MaxNotes);
        e.Property(a => a.Version).IsConcurrencyToken();
        e.HasIndex(a => new { a.OwnerUserId, a.StartsAtTicks });
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("mobile-schedule", 1, "create mobile_appointment", m =>
        {
            m.CreateTable("mobile_appointment", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                OwnerUserId = t.Column<string>(maxLength: 64, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Title = t.Column<string>(maxLength: Appointments.MaxTitle, nullable: false),
                StartsAtTicks = t.Column<long>(nullable: false),
                EndsAtTicks = t.Column<long>(nullable: false),
                CustomerCode = t.Column<string>(maxLength: 32, nullable: true),
                Location = t.Column<string>(maxLength: Appointments.MaxLocation, nullable: true),
                Notes = t.Column<string>(maxLength: Appointments.MaxNotes, nullable: true),
                Version = t.Column<long>(nullable: false),
                CreatedAtTicks = t.Column<long>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_mobile_appointment", x => x.Id));
            m.CreateIndex("ix_mobile_appointment_owner_start", "mobile_appointment", ["OwnerUserId", "StartsAtTicks"]);
        }),
    ];
}
