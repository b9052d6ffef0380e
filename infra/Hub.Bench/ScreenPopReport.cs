using System.Globalization;
using System.Text;
using Hub.Persistence;
using Npgsql;

namespace Hub.Bench;

/// <summary>The screen-pop mode of the bench: both stores, written as the "Screen pop" section of docs/benchmarks.md.</summary>
public static class ScreenPopReport
{
    private const string Heading = "## Screen pop";

    public static async Task Run(string[] args)
    {
        var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var output = args.Length > 1 ? args[1] : "docs/benchmarks.md";
        var lookups = 2_000;
        var postgres = Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";

        var loadBefore = LoadAverage();
        var folder = Path.Combine(Path.GetTempPath(), "hub-bench-screenpop-" + Guid.NewGuid().ToString("N")[..8]);
        var database = "hubbench_pop_" + Guid.NewGuid().ToString("N")[..8];
        await Admin(postgres, $"CREATE DATABASE {database}");
        ScreenPopResult[] results;
        try
        {
            results =
            [
                await ScreenPopBench.Run("embedded (SQLite)", new HubStoreOptions { Provider = HubStoreOptions.Sqlite, SqlitePath = Path.Combine(folder, "hub.db") },
                    customers, lookups),
                await ScreenPopBench.Run("PostgreSQL", new HubStoreOptions
                {
                    Provider = HubStoreOptions.Postgres,
                    PostgresConnectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString,
                    ColumnEncryption = Hub.Persistence.Encryption.ColumnEncryptionOptions.Generate(),
                }, customers, lookups),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            await Admin(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }

        var md = new StringBuilder();
        md.AppendLine(Heading).AppendLine();
        md.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, by");
        md.AppendLine("`bash infra/scripts/bench.sh screen-pop` (the call centre's lookup by caller number and by name prefix, 003 §3.1 / 002 §5.2).");
        md.AppendLine(CultureInfo.InvariantCulture, $"Each store is migrated as the hub migrates it, then seeded by bulk insert with {results[0].Customers:N0} customers and {results[0].Contacts:N0} contacts");
        md.AppendLine("(a mobile each); each lookup is the query the REST API runs (`CustomerQueries.ScreenPopByCallerAsync` / `ScreenPopByNameAsync`, whole-company scope)");
        md.AppendLine(CultureInfo.InvariantCulture, $"in a fresh DbContext, timed one after another, {results[0].Lookups} of each after 200 warm-up lookups. Target: p99 under 10 ms.");
        md.AppendLine();
        md.AppendLine("| store | customers | seed (s) | by caller p50 (ms) | by caller p99 (ms) | by name prefix p50 (ms) | by name prefix p99 (ms) |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Customers:N0} | {r.SeedSeconds:0} | {r.CallerP50Ms:0.00} | {r.CallerP99Ms:0.00} | {r.NameP50Ms:0.00} | {r.NameP99Ms:0.00} |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average of the machine (1 min) before and after the run: {loadBefore} and {LoadAverage()}: the cores are shared with other builds, so the p99 tail measures the scheduler as much as the store.");
        md.AppendLine();
        md.AppendLine("A caller lookup is two indexed queries (contacts' phone keys, then customers' phone keys); a name lookup walks the name-key");
        md.AppendLine("index as a range (`NameKey >= prefix AND NameKey < next`), in the \"C\" collation on PostgreSQL, and stops at 10 rows.");

        var existing = File.Exists(output) ? await File.ReadAllTextAsync(output) : "# Benchmarks\n\n";
        var start = existing.IndexOf(Heading, StringComparison.Ordinal);
        var rest = start < 0 ? existing.TrimEnd() + "\n\n" : existing[..start];
        await File.WriteAllTextAsync(output, rest + md);
        Console.WriteLine(md.ToString());
    }

    /// <summary>The screen-pop section of <paramref name="output"/>, to carry over when the order-flow figures are rewritten.</summary>
    public static string ExistingSection(string output)
    {
        if (!File.Exists(output))
            return "";
        var text = File.ReadAllText(output);
        var start = text.IndexOf(Heading, StringComparison.Ordinal);
        return start < 0 ? "" : "\n" + text[start..];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static async Task Admin(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
