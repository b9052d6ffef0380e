using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence;

/// <summary>
/// Opens a <see cref="HubDbContext"/> on the database that holds one module's tables: the main store, or on SQLite the
/// module's own file when it asks for one (<see cref="IHubStoreModel.OwnSqliteFile"/>). The caller disposes the context.
/// Use it (not the scoped context) for such modules' tables; for every other module it is simply a fresh context.
/// </summary>
public sealed class HubModuleStore(HubStoreOptions options, IEnumerable<IHubStoreModel> modules, Encryption.ColumnKeyRing columnKeys)
{
    private readonly IHubStoreModel[] _modules = modules.ToArray();
    private readonly Dictionary<string, DbContextOptions<HubDbContext>> _byFile = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SqliteConnectionSetup _setup = new(options.SqliteBusyTimeout);

    /// <summary>A new context on the database holding <paramref name="module"/>'s tables.</summary>
    /// <exception cref="ArgumentException">No such module is registered.</exception>
    public HubDbContext Open(string module)
    {
        var owner = _modules.FirstOrDefault(m => m.Module == module)
                    ?? throw new ArgumentException($"No store module '{module}' is registered.", nameof(module));
        return new HubDbContext(OptionsFor(FileOf(owner)), _modules, columnKeys);
    }

    /// <summary>
    /// A new context on each database of the store: the main one, then on SQLite each file a module keeps for itself (the
    /// audit's). For work over every table, such as <c>rotate-column-keys</c> and the key check at start. The caller disposes them.
    /// </summary>
    public IReadOnlyList<HubDbContext> OpenEachDatabase() =>
        [OpenFile(options.IsPostgres ? null : options.SqlitePath), .. OwnFiles().Select(f => OpenFile(f.Key))];

    /// <summary>The SQLite file holding <paramref name="module"/>'s tables; null on PostgreSQL (one database).</summary>
    internal string? FileOf(IHubStoreModel module) => options.IsPostgres ? null : options.SqliteFileOf(module);

    /// <summary>The modules whose tables live in their own SQLite files, by file (none on PostgreSQL).</summary>
    internal IEnumerable<IGrouping<string, IHubStoreModel>> OwnFiles() => options.IsPostgres
        ? []
        : _modules.Where(m => m.OwnSqliteFile).GroupBy(m => Path.GetFullPath(options.SqliteFileOf(m)), StringComparer.Ordinal);

    /// <summary>A context on the SQLite file <paramref name="file"/> (or on PostgreSQL when null).</summary>
    internal HubDbContext OpenFile(string? file) => new(OptionsFor(file), _modules, columnKeys);

    private DbContextOptions<HubDbContext> OptionsFor(string? file)
    {
        var key = file is null ? "" : Path.GetFullPath(file);
        lock (_gate)
        {
            if (!_byFile.TryGetValue(key, out var built))
            {
                var builder = new DbContextOptionsBuilder<HubDbContext>();
                HubStoreServiceCollectionExtensions.Configure(builder, options, file, _setup);
                _byFile[key] = built = builder.Options;
            }
            return built;
        }
    }
}
