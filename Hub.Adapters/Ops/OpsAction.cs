using Hub.Persistence;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>Something an operations user changed: who, when, what (table <c>ops_action</c>).</summary>
public sealed class OpsAction
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
    /// <summary>Signed-in user.</summary>
    public string User { get; set; } = "";
    /// <summary>Their role at the time.</summary>
    public string Role { get; set; } = "";
    /// <summary><c>retry</c>, <c>edit-retry</c>, <c>archive</c>, <c>retry-group</c>, <c>archive-group</c>, <c>purge</c>.</summary>
    public string Action { get; set; } = "";
    /// <summary>The failed message id or group id acted on.</summary>
    public string Target { get; set; } = "";
    /// <summary>How many messages it touched.</summary>
    public int Count { get; set; }
    /// <summary>Details as JSON (for an edit: the message before and after); sealed at rest.</summary>
    public string Detail { get; set; } = "{}";
}

/// <summary>Store model of the operations view's own table.</summary>
internal sealed class OpsStoreModel : IHubStoreModel
{
    public string Module => "ops";

    public void Configure(ModelBuilder model)
    {
        model.Entity<OpsAction>(e =>
        {
            e.ToTable("ops_action");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedOnAdd();
            e.Property(a => a.User).HasMaxLength(64);
            e.Property(a => a.Action).HasMaxLength(32);
            e.HasIndex(a => a.At);
            // An edit-and-retry records the message before and after: a copy of a body, sealed like the body itself.
            e.Property(a => a.Detail).IsEncrypted();
        });
        model.Entity<OpsAlertEpisode>(e =>
        {
            e.ToTable("ops_alert");
            e.HasKey(a => a.Id);
            e.Property(a => a.Kind).HasMaxLength(32);
            e.Property(a => a.Subject).HasMaxLength(200);
            e.Property(a => a.OpenKey).HasMaxLength(240);
            e.HasIndex(a => a.OpenKey).IsUnique();
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("ops", 1, "create ops_action", m =>
        {
            m.CreateTable("ops_action", t => new
            {
                Id = t.Column<long>(nullable: false).AutoIncrement(),
                At = t.Column<DateTime>(nullable: false),
                User = t.Column<string>(maxLength: 64, nullable: false),
                Role = t.Column<string>(nullable: false),
                Action = t.Column<string>(maxLength: 32, nullable: false),
                Target = t.Column<string>(nullable: false),
                Count = t.Column<int>(nullable: false),
                Detail = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_ops_action", x => x.Id));
            m.CreateIndex("ix_ops_action_at", "ops_action", "At");
        }),
        new("ops", 2, "create ops_alert", m =>
        {
            m.CreateTable("ops_alert", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                Subject = t.Column<string>(maxLength: 200, nullable: false),
                Text = t.Column<string>(nullable: false),
                Since = t.Column<DateTime>(nullable: false),
                RaisedAt = t.Column<DateTime>(nullable: false),
                ClearedAt = t.Column<DateTime>(nullable: true),
                OpenKey = t.Column<string>(maxLength: 240, nullable: true),
                RaisedPublishedAt = t.Column<DateTime>(nullable: true),
                ClearedPublishedAt = t.Column<DateTime>(nullable: true),
            }, constraints: t => t.PrimaryKey("pk_ops_alert", x => x.Id));
            // NULLs never collide: closed episodes keep no key, an open one blocks a second.
            m.CreateIndex("ix_ops_alert_open_key", "ops_alert", "OpenKey", unique: true);
        }),
        new("ops", 3, "encrypt the details of operations actions", _ => { })
        {
            Data = ColumnKeyRotation.SealPlaintext("ops_action"),
        },
    ];
}
