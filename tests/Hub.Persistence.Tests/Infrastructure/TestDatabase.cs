using Npgsql;

namespace Hub.Persistence.Tests.Infrastructure;

/// <summary>A throw-away store for one test: a SQLite file in a temp folder, or a fresh PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string PostgresVariable = "HUB_TEST_POSTGRES";
    private readonly Func<Task> _drop;

    private TestDatabase(HubStoreOptions options, Func<Task> drop)
    {
        Options = options;
        _drop = drop;
    }

    public HubStoreOptions Options { get; }

    public bool IsPostgres => Options.Provider == HubStoreOptions.Postgres;

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static Task<TestDatabase> Create(StoreKind kind) => kind == StoreKind.Postgres ? Postgres() : Task.FromResult(Sqlite());

    public static TestDatabase Sqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-persistence-tests", Guid.NewGuid().ToString("N"));
        var options = new HubStoreOptions { Provider = HubStoreOptions.Sqlite, SqlitePath = Path.Combine(folder, "hub.db") };
        return new TestDatabase(options, () =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            return Task.CompletedTask;
        });
    }

    public static async Task<TestDatabase> Postgres()
    {
        var server = PostgresConnectionString ?? throw new InvalidOperationException($"{PostgresVariable} is not set.");
        var name = "hubtest_" + Guid.NewGuid().ToString("N");
        await Admin(server, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        // A shared store has no key file: fresh column keys per test database.
        var options = new HubStoreOptions
        {
            Provider = HubStoreOptions.Postgres, PostgresConnectionString = connectionString,
            ColumnEncryption = Hub.Persistence.Encryption.ColumnEncryptionOptions.Generate(),
        };
        return new TestDatabase(options, () => Admin(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }

    public ValueTask DisposeAsync() => new(_drop());

    private static async Task Admin(string server, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>A fact that runs only when <c>HUB_TEST_POSTGRES</c> holds a PostgreSQL server connection string.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.PostgresConnectionString is null)
            Skip = "Set HUB_TEST_POSTGRES to a PostgreSQL connection string (e.g. Host=127.0.0.1;Username=postgres;Password=postgres) to run.";
    }
}
