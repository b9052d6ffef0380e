using Npgsql;

namespace Hub.Persistence;

/// <summary>Which database the hub uses. Passed to <see cref="HubStoreServiceCollectionExtensions.AddHubStore"/>.</summary>
public sealed class HubStoreOptions
{
    /// <summary>Provider name for the embedded SQLite store (the default).</summary>
    public const string Sqlite = "sqlite";

    /// <summary>Provider name for PostgreSQL.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite database file (relative paths resolve against the current directory); its directory is created.</summary>
    public string SqlitePath { get; set; } = "data/hub.db";

    /// <summary>Npgsql connection string; required for <c>postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How long a SQLite connection waits for another writer (process or connection) before failing.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The SQLite file that holds <paramref name="module"/>'s tables: the main <see cref="SqlitePath"/>, or for a module
    /// with <see cref="IHubStoreModel.OwnSqliteFile"/> a sibling named after it (<c>data/hub.db</c> → <c>data/hub-audit.db</c>).
    /// </summary>
    public string SqliteFileOf(IHubStoreModel module) => module.OwnSqliteFile ? SiblingOf(SqlitePath, module.Module) : SqlitePath;

    /// <summary><paramref name="path"/> with <c>-<paramref name="name"/></c> before its extension.</summary>
    public static string SiblingOf(string path, string name) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}-{name}{Path.GetExtension(path)}");

    internal bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Provider))
            throw new ArgumentException($"HubStoreOptions.Provider is required: '{Sqlite}' or '{Postgres}'.");
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
            throw new ArgumentException($"HubStoreOptions.Provider must be '{Sqlite}' or '{Postgres}', not '{Provider}'.");

        if (IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(PostgresConnectionString))
                throw new ArgumentException("HubStoreOptions.PostgresConnectionString is required when Provider is 'postgres'.");
            try
            {
                _ = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"HubStoreOptions.PostgresConnectionString is not a valid Npgsql connection string: {ex.Message}", ex);
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(SqlitePath))
                throw new ArgumentException("HubStoreOptions.SqlitePath is required when Provider is 'sqlite'.");
            if (SqlitePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
                throw new ArgumentException($"HubStoreOptions.SqlitePath '{SqlitePath}' is not a valid path.");
        }

        if (SqliteBusyTimeout <= TimeSpan.Zero)
            throw new ArgumentException("HubStoreOptions.SqliteBusyTimeout must be positive.");
    }
}
