using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hub.Tests;

/// <summary>The store as someone holding its files or a database login reads it, past the hub: raw bytes, rows as text.</summary>
internal static class StoreAtRest
{
    /// <summary>The database files below <paramref name="root"/> (main, the audit's own, their write-ahead logs), the pools closed first so nothing is held back.</summary>
    public static string[] SqliteFiles(string root)
    {
        SqliteConnection.ClearAllPools();
        return Directory.GetFiles(root, "*.db*");
    }

    /// <summary>Every byte of <paramref name="files"/>, one after the other.</summary>
    public static byte[] Bytes(IEnumerable<string> files) => files.SelectMany(File.ReadAllBytes).ToArray();

    /// <summary>The tables of the connection's current schema.</summary>
    public static async Task<List<string>> PostgresTablesAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection);
        await using var reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        return tables;
    }
}
