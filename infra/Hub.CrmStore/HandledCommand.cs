using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.CrmStore;

/// <summary>
/// A command the CRM endpoints already carried out (table <c>crm_handled_command</c>), so the same command
/// sent again (a client retry with the same id, a republished message) changes nothing and gets the first answer.
/// </summary>
public sealed class HandledCommand
{
    /// <summary>The command's id.</summary>
    public Guid CommandId { get; set; }
    /// <summary>The aggregate it changed.</summary>
    public Guid EntityId { get; set; }
    /// <summary>The aggregate's version after the change.</summary>
    public long Version { get; set; }
    /// <summary>When it was carried out (UTC).</summary>
    public DateTime HandledAt { get; set; }

}

/// <summary>Table of <see cref="HandledCommand"/>, shared by every CRM capability.</summary>
internal sealed class HandledCommandsStoreModel : IHubStoreModel
{
    public string Module => "crm-commands";

    public void Configure(ModelBuilder model) => model.Entity<HandledCommand>(e =>
    {
        e.ToTable("crm_handled_command");
        e.HasKey(c => c.CommandId);
        e.HasIndex(c => c.HandledAt);
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("crm-commands", 1, "create crm_handled_command", m =>
        {
            m.CreateTable("crm_handled_command", t => new
            {
                CommandId = t.Column<Guid>(nullable: false),
                EntityId = t.Column<Guid>(nullable: false),
                Version = t.Column<long>(nullable: false),
                HandledAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_crm_handled_command", x => x.CommandId));
            m.CreateIndex("ix_crm_handled_command_handled_at", "crm_handled_command", "HandledAt");
        }),
    ];
}
