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
}
