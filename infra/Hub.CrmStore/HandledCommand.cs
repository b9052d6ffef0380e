using Hub.Persistence;
using Microsoft.Extensions.DependencyInjection;
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

/// <summary>How long handled commands are remembered (section <c>Crm:HandledCommands</c>).</summary>
public sealed class HandledCommandOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Crm:HandledCommands";

    /// <summary>
    /// A repeat within this time gets the first answer. Later, creating commands still find their entity by id and
    /// updates their stale version, so forgetting is safe; it only bounds the table.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often older rows are removed.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Removes handled commands older than <see cref="HandledCommandOptions.Retention"/>, in batches.</summary>
public sealed class HandledCommandCleanup(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<HandledCommandOptions> options,
    Microsoft.Extensions.Logging.ILogger<HandledCommandCleanup> logger, Microsoft.Extensions.Hosting.IHostApplicationLifetime? lifetime = null)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    private const int BatchSize = 1000;

    /// <summary>One batch of removals; the number of rows removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var before = DateTime.UtcNow - options.Value.Retention;
        var batch = db.Set<HandledCommand>().Where(c => c.HandledAt < before).OrderBy(c => c.HandledAt).Select(c => c.CommandId).Take(BatchSize);
        return await db.Set<HandledCommand>().Where(c => batch.Contains(c.CommandId)).ExecuteDeleteAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.CleanupInterval, PurgeAsync, logger, "handled-command cleanup", stoppingToken);
}
