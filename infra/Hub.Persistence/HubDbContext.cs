using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Hub.Persistence;

/// <summary>
/// The hub's one database. Its model is the infrastructure tables (<c>hub_schema_versions</c>,
/// <c>hub_inbox_state</c>, <c>hub_outbox_message</c>, <c>hub_scheduled_message</c>) plus every registered
/// <see cref="IHubStoreModel"/>. Scoped: consumers, sagas and the inbox/outbox of one message share one instance
/// (and so one transaction). The schema comes from <see cref="HubSchemaMigrator"/>, never from <c>EnsureCreated</c>.
/// </summary>
public class HubDbContext : DbContext
{
    private readonly IHubStoreModel[] _modules;

    private readonly Encryption.ColumnKeyRing? _columnKeys;

    /// <summary>Creates the context with the modules registered in DI and the keys of encrypted columns (<c>AddHubStore</c> registers them).</summary>
    public HubDbContext(DbContextOptions<HubDbContext> options, IEnumerable<IHubStoreModel> modules, Encryption.ColumnKeyRing? columnKeys = null)
        : base(options)
    {
        _modules = modules.ToArray();
        _columnKeys = columnKeys;
        // The encrypted columns' converters close over the ring: a model per key set.
        ModelKey = ComputeModelKey(_modules) + (columnKeys is null ? "" : "|keys:" + columnKeys.Fingerprint);
    }

    /// <summary>Operation and note the change history records for the next save (a restore), then forgets.</summary>
    internal (string Operation, string Note)? PendingHistoryNote { get; set; }

    /// <summary>
    /// Names the next save's recorded changes (e.g. <c>password-reset</c>, <c>disabled</c>) with a note, instead of
    /// <c>modified</c>; forgotten after that save.
    /// </summary>
    public void NameNextChange(string operation, string note) => PendingHistoryNote = (operation, note);

    /// <summary>The keys of the encrypted columns, when registered.</summary>
    public Encryption.ColumnKeyRing? ColumnKeys => _columnKeys;

    /// <summary>The keys of the encrypted columns, for code that seals or looks up by blind index (every hub store has them).</summary>
    public Encryption.ColumnKeyRing RequiredColumnKeys =>
        _columnKeys ?? throw new InvalidOperationException("No column keys are registered (AddHubStore registers them).");

    /// <summary>Identifies the composed model (sorted module names); the EF model cache is keyed on it.</summary>
    public string ModelKey { get; }

    /// <summary>The modules whose mappings this context applies, in registration order.</summary>
    public IReadOnlyList<IHubStoreModel> Modules => _modules;

    /// <summary>Inbox state per (message, consumer).</summary>
    public DbSet<HubInboxState> InboxStates => Set<HubInboxState>();

    /// <summary>Messages written by consumers in their transaction, awaiting delivery.</summary>
    public DbSet<HubOutboxMessage> OutboxMessages => Set<HubOutboxMessage>();

    /// <summary>Messages scheduled through the hub scheduler, awaiting their time.</summary>
    public DbSet<HubScheduledMessage> ScheduledMessages => Set<HubScheduledMessage>();

    /// <summary>Applied schema migrations.</summary>
    public DbSet<HubSchemaVersion> SchemaVersions => Set<HubSchemaVersion>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        HubInfrastructureModel.Configure(modelBuilder);
        foreach (var module in _modules)
            module.Configure(modelBuilder);
        Encryption.EncryptedColumns.Apply(modelBuilder, _columnKeys);
    }

    private static string ComputeModelKey(IEnumerable<IHubStoreModel> modules)
    {
        var names = modules.Select(m => m.Module).Order(StringComparer.Ordinal);
        return new StringBuilder(HubInfrastructureModel.ModuleName).Append('|').AppendJoin(',', names).ToString();
    }
}

/// <summary>
/// Caches one EF model per set of modules (and provider), so processes and tests composing different
/// modules in one process each get the right model.
/// </summary>
public sealed class HubModelCacheKeyFactory : IModelCacheKeyFactory
{
    /// <inheritdoc />
    public object Create(DbContext context, bool designTime) => context is HubDbContext hub
        ? (context.GetType(), hub.ModelKey, context.Database.ProviderName, designTime)
        : (context.GetType(), designTime);
}
