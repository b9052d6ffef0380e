using Hub.Persistence;
using Hub.Persistence.Encryption;
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
        // Where and about what a customer is met: a home address, a phone to call, a contact's details (issue 8). Sealed at rest;
        // the list's search reads them opened (ScheduleApi.List), so no query compares them.
        e.Property(a => a.Location).IsEncrypted();
        e.Property(a => a.Notes).IsEncrypted();
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
        new("mobile-schedule", 2, "encrypt the appointments' location and notes", m =>
        {
            // SQLite does not enforce lengths; PostgreSQL's varchar would refuse an envelope.
            if (m.ActiveProvider?.Contains("Npgsql", StringComparison.Ordinal) != true)
                return;
            m.AlterColumn<string>("Location", "mobile_appointment", nullable: true, oldMaxLength: Appointments.MaxLocation, oldNullable: true);
            m.AlterColumn<string>("Notes", "mobile_appointment", nullable: true, oldMaxLength: Appointments.MaxNotes, oldNullable: true);
        })
        {
            Data = ColumnKeyRotation.SealPlaintext("mobile_appointment"),
        },
    ];
}
