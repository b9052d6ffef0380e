using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hub.Persistence.History;

/// <summary>
/// One change to a record that keeps its history (table <c>hub_entity_change</c>; 003 §3.15 镜像, §4.4.5.2 审计): who,
/// when, through which channel or message, and the values before and after.
/// </summary>
public sealed class EntityChange
{
    public long Id { get; set; }
    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
    /// <summary>The entity type's name in the store model (e.g. <c>Customer</c>).</summary>
    public string EntityType { get; set; } = "";
    /// <summary>Its key, as text (composite keys joined by <c>|</c>).</summary>
    public string EntityKey { get; set; } = "";
    /// <summary><c>added</c>, <c>modified</c>, <c>deleted</c> or <c>restored</c>.</summary>
    public string Operation { get; set; } = "";
    /// <summary>Column values before, as a JSON object; null when added.</summary>
    public string? Before { get; set; }
    /// <summary>Column values after, as a JSON object; null when deleted.</summary>
    public string? After { get; set; }
    /// <summary>Who: a user, a partner system, or the endpoint that handled a message.</summary>
    public string Actor { get; set; } = "";
    /// <summary>Through what: <c>rest</c>, <c>soap</c>, <c>ops</c>, <c>bus</c>, …</summary>
    public string Channel { get; set; } = "";
    /// <summary>The message that made the change, when a message did.</summary>
    public Guid? MessageId { get; set; }
    /// <summary>Why, when the change says (e.g. a restore's point in time).</summary>
    public string? Note { get; set; }
}

/// <summary>Who is changing things now, as the channel in front knows it.</summary>
public sealed record ChangeAuthor(string Actor, string Channel, Guid? MessageId = null);

/// <summary>Tells the store who is making the changes of the current scope (an HTTP caller, a message being consumed).</summary>
public interface IChangeAuthorSource
{
    /// <summary>The author of changes saved now; null when unknown (recorded as <c>system</c>).</summary>
    ChangeAuthor? Current { get; }
}

/// <summary>Marks entity types whose changes are recorded.</summary>
public static class ChangeHistoryModel
{
    internal const string Annotation = "Hub:KeepsHistory";

    /// <summary>Every change to this entity is recorded in <c>hub_entity_change</c>, in the same transaction.</summary>
    public static EntityTypeBuilder<T> KeepsHistory<T>(this EntityTypeBuilder<T> entity) where T : class
    {
        entity.HasAnnotation(Annotation, true);
        return entity;
    }

    internal const string OmittedAnnotation = "Hub:NotInHistory";

    /// <summary>
    /// The property is left out of the recorded before/after copies (a password digest, a secret, a failed-login
    /// counter), and a save that changes nothing but such properties records no change: keep a recorded property beside
    /// it (e.g. when the password was changed) where the change itself must be on record.
    /// </summary>
    public static PropertyBuilder<T> NotInHistory<T>(this PropertyBuilder<T> property)
    {
        property.HasAnnotation(OmittedAnnotation, true);
        return property;
    }

    /// <summary>Whether <paramref name="property"/> is left out of the recorded copies (see <see cref="NotInHistory{T}"/>).</summary>
    public static bool IsNotInHistory(this IReadOnlyProperty property) => property.FindAnnotation(OmittedAnnotation)?.Value is true;
}

/// <summary>Store model of the history table (module <c>history</c>).</summary>
internal sealed class ChangeHistoryStoreModel : IHubStoreModel
{
    public string Module => "history";

    public void Configure(ModelBuilder model) => model.Entity<EntityChange>(e =>
    {
        e.ToTable("hub_entity_change");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedOnAdd();
        e.Property(c => c.EntityType).HasMaxLength(100);
        e.Property(c => c.EntityKey).HasMaxLength(200);
        e.Property(c => c.Operation).HasMaxLength(16);
        e.Property(c => c.Actor).HasMaxLength(128);
        e.Property(c => c.Channel).HasMaxLength(64);
        e.HasIndex(c => new { c.EntityType, c.EntityKey, c.At });
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("history", 1, "create hub_entity_change", m =>
        {
            m.CreateTable("hub_entity_change", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                At = t.Column<DateTime>(nullable: false),
                EntityType = t.Column<string>(maxLength: 100, nullable: false),
                EntityKey = t.Column<string>(maxLength: 200, nullable: false),
                Operation = t.Column<string>(maxLength: 16, nullable: false),
                Before = t.Column<string>(nullable: true),
                After = t.Column<string>(nullable: true),
                Actor = t.Column<string>(maxLength: 128, nullable: false),
                Channel = t.Column<string>(maxLength: 64, nullable: false),
                MessageId = t.Column<Guid>(nullable: true),
                Note = t.Column<string>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_hub_entity_change", x => x.Id));
            m.CreateIndex("ix_hub_entity_change_entity", "hub_entity_change", ["EntityType", "EntityKey", "At"]);
        }),
    ];
}
