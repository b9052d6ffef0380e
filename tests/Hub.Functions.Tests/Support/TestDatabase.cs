using Npgsql;

namespace Hub.Functions.Tests.Support;

/// <summary>
/// The store a test host runs on: a SQLite file of its own, or, when <c>HUB_TEST_POSTGRES</c> names a server (the
/// README's test command always does), a PostgreSQL database of its own, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresDatabase;

    private TestDatabase(IReadOnlyList<string> settings, string? postgresDatabase, string? sqlitePath = null, string? postgresConnectionString = null)
    {
        Settings = settings;
        _postgresDatabase = postgresDatabase;
        SqlitePath = sqlitePath;
        PostgresConnectionString = postgresConnectionString;
    }

    /// <summary>The hub settings that select it.</summary>
    public IReadOnlyList<string> Settings { get; }

    /// <summary>The SQLite file, when it is one.</summary>
    public string? SqlitePath { get; }

    /// <summary>The PostgreSQL database, when it is one.</summary>
    public string? PostgresConnectionString { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    public static TestDatabase Sqlite(string directory) =>
        new([$"Hub:SqlitePath={Path.Combine(directory, "hub.db")}"], null, sqlitePath: Path.Combine(directory, "hub.db"));

    public static async Task<TestDatabase> PostgresAsync()
    {
        var name = "hubfn_" + Guid.NewGuid().ToString("N")[..12];
        await Admin($"CREATE DATABASE {name}");
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;
        return new TestDatabase(["Hub:Store=postgres", $"Hub:PostgresConnectionString={connection}",
            .. Hub.Persistence.Encryption.ColumnEncryptionOptions.Generate().AsSettings()], name, postgresConnectionString: connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await Admin($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)");
    }

    private static async Task Admin(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A test of behaviour that depends on PostgreSQL; skipped, saying why, when no server is given.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.PostgresServer is null)
            Skip = "Needs HUB_TEST_POSTGRES; run infra/scripts/test.sh.";
    }
}
