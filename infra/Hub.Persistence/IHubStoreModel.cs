using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence;

/// <summary>
/// One module's share of the hub database: its entity mappings and the schema migrations that
/// create its tables. Register every module as <c>services.AddSingleton&lt;IHubStoreModel, MyModel&gt;()</c>;
/// <see cref="HubDbContext"/> applies all of them and <see cref="HubSchemaMigrator"/> runs their migrations.
/// </summary>
public interface IHubStoreModel
{
    /// <summary>Unique module name (e.g. <c>orders</c>); the migrations are versioned per module. <c>hub</c> is reserved.</summary>
    string Module { get; }

    /// <summary>Maps the module's entities (table names, keys, indexes) on the shared model.</summary>
    void Configure(ModelBuilder model);

    /// <summary>The module's schema migrations; each must carry this <see cref="Module"/> and a unique positive version.</summary>
    IReadOnlyList<HubSchemaMigration> Migrations { get; }

    /// <summary>
    /// On SQLite, keep this module's tables in a database file of their own next to the main one
    /// (<see cref="HubStoreOptions.SqliteFileOf"/>), with its own write lock: for append-heavy tables written beside the
    /// message path (the message audit), whose writes would otherwise queue behind the inbox/outbox commits. Such tables
    /// are reached through <see cref="HubModuleStore.Open"/>, never the scoped context. No effect on PostgreSQL.
    /// </summary>
    bool OwnSqliteFile => false;
}
