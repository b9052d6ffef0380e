using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Hosting;

/// <summary>
/// Where one timer function stands (table <c>function_timer</c>): its next occurrence and who holds it. Instances
/// claim an occurrence with a conditional update of this row, so exactly one of them runs it.
/// </summary>
public sealed class FunctionTimer
{
    /// <summary>The function's name (its class name).</summary>
    public string Name { get; set; } = "";
    /// <summary>The cron expression the next occurrence was computed from.</summary>
    public string Schedule { get; set; } = "";
    /// <summary>The next occurrence to run (UTC).</summary>
    public DateTime NextOccurrence { get; set; }
    /// <summary>The instance run holding the occurrence.</summary>
    public Guid? LockId { get; set; }
    /// <summary>Until when the holder may run it (UTC); afterwards another instance may.</summary>
    public DateTime? LockedUntil { get; set; }
    /// <summary>The last occurrence that completed (UTC).</summary>
    public DateTime? LastOccurrence { get; set; }
    /// <summary>When it completed (UTC).</summary>
    public DateTime? LastCompletedAt { get; set; }
    /// <summary>Why the last attempt failed, until an attempt succeeds.</summary>
    public string? LastError { get; set; }
}

internal sealed class FunctionTimersStoreModel : IHubStoreModel
{
    public string Module => "functions";

    public void Configure(ModelBuilder model) => model.Entity<FunctionTimer>(e =>
    {
        e.ToTable("function_timer");
        e.HasKey(t => t.Name);
        e.Property(t => t.Name).HasMaxLength(128);
        e.Property(t => t.Schedule).HasMaxLength(128);
        e.Property(t => t.NextOccurrence).HasConversion(UtcDateTime.Converter);
        e.Property(t => t.LockedUntil).HasConversion(UtcDateTime.NullableConverter);
        e.Property(t => t.LastOccurrence).HasConversion(UtcDateTime.NullableConverter);
        e.Property(t => t.LastCompletedAt).HasConversion(UtcDateTime.NullableConverter);
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("functions", 1, "create function_timer", m => m.CreateTable("function_timer", t => new
        {
            Name = t.Column<string>(maxLength: 128, nullable: false),
            Schedule = t.Column<string>(maxLength: 128, nullable: false),
            NextOccurrence = t.Column<DateTime>(nullable: false),
            LockId = t.Column<Guid>(nullable: true),
            LockedUntil = t.Column<DateTime>(nullable: true),
            LastOccurrence = t.Column<DateTime>(nullable: true),
            LastCompletedAt = t.Column<DateTime>(nullable: true),
            LastError = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_function_timer", x => x.Name))),
    ];
}
