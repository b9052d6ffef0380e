using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hub.Persistence;

/// <summary>
/// Backup and restore of the whole hub store (003 §3.15 镜像备份). SQLite: the online backup API, page by page while
/// the hub runs, into a single file. PostgreSQL: <c>pg_dump</c> in its custom format (a consistent snapshot while the
/// hub runs) and <c>pg_restore --clean</c>. Restore replaces the store's content: stop the hosts first.
/// </summary>
public static class HubStoreBackup
{
    /// <summary>Writes a backup of the store to <paramref name="file"/>.</summary>
    public static async Task BackupAsync(HubStoreOptions store, string file, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        if (store.Provider == HubStoreOptions.Postgres)
        {
            await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--file", file], store.PostgresConnectionString!, ct);
            return;
        }
        if (!File.Exists(store.SqlitePath))
            throw new InvalidOperationException($"No store at {Path.GetFullPath(store.SqlitePath)} to back up.");
        await CopySqlite(store.SqlitePath, file, ct);
        // Modules with their own file (IHubStoreModel.OwnSqliteFile) sit beside the main one: hub.db → hub-audit.db → backup-audit.db.
        foreach (var (name, path) in OwnFiles(store.SqlitePath))
            await CopySqlite(path, HubStoreOptions.SiblingOf(file, name), ct);
    }

    /// <summary>Replaces the store's content with the backup in <paramref name="file"/>.</summary>
    public static async Task RestoreAsync(HubStoreOptions store, string file, CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new InvalidOperationException($"No backup at {Path.GetFullPath(file)}.");
        if (store.Provider == HubStoreOptions.Postgres)
        {
            await RunAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", file], store.PostgresConnectionString!, ct);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(store.SqlitePath))!);
        await CopySqlite(file, store.SqlitePath, ct);
        foreach (var (name, path) in OwnFiles(file))
            await CopySqlite(path, HubStoreOptions.SiblingOf(store.SqlitePath, name), ct);
    }

    /// <summary>The own files beside <paramref name="mainFile"/> (<c>hub-audit.db</c> for <c>hub.db</c>), by module name.</summary>
    private static IEnumerable<(string Module, string Path)> OwnFiles(string mainFile)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(mainFile))!;
        var stem = Path.GetFileNameWithoutExtension(mainFile) + "-";
        var extension = Path.GetExtension(mainFile);
        foreach (var path in Directory.EnumerateFiles(directory, stem + "*" + extension))
        {
            var module = Path.GetFileNameWithoutExtension(path)[stem.Length..];
            if (module.Length > 0 && module.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
                yield return (module, path);
        }
    }

    /// <summary>SQLite's online backup, page by page, of <paramref name="from"/> into <paramref name="to"/> (replaced).</summary>
    private static async Task CopySqlite(string from, string to, CancellationToken ct)
    {
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = from, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = to, Pooling = false }.ConnectionString);
        await source.OpenAsync(ct);
        await target.OpenAsync(ct);
        source.BackupDatabase(target);
    }

    /// <summary>
    /// <c>backup &lt;file&gt;</c> / <c>restore &lt;file&gt;</c> for a host's command line, with the host's own store settings
    /// (<c>Hub:Store</c>, <c>Hub:SqlitePath</c>, <c>Hub:PostgresConnectionString</c>). Returns the exit code.
    /// </summary>
    public static async Task<int> RunCommandAsync(string[] args, HubStoreOptions store)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"Usage: {args[0]} <file> [--Hub:Store=sqlite|postgres --Hub:SqlitePath=… | --Hub:PostgresConnectionString=…]");
            return 2;
        }
        try
        {
            store.Validate();
            if (args[0] == "backup")
                await BackupAsync(store, args[1], CancellationToken.None);
            else
                await RestoreAsync(store, args[1], CancellationToken.None);
            Console.WriteLine($"{args[0]}: {(store.Provider == HubStoreOptions.Postgres ? "PostgreSQL" : store.SqlitePath)} {(args[0] == "backup" ? "→" : "←")} {args[1]}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or SqliteException)
        {
            Console.Error.WriteLine($"{args[0]} failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task RunAsync(string tool, string[] arguments, string connectionString, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--dbname");
        start.ArgumentList.Add(cs.Database ?? "postgres");
        // libpq's variables: the password never appears on a command line.
        start.Environment["PGHOST"] = cs.Host ?? "localhost";
        start.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = cs.Username ?? Environment.UserName;
        if (cs.Password is { } password)
            start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} could not be started.");
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {(await errors).Trim()}");
    }
}
