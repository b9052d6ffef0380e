namespace Hub.Persistence;

/// <summary>
/// A file only the hub's own account may read: where a first sign-in secret (the one-off operations admin's password, the
/// embedded demo password) is handed over, instead of the log, which is shipped and kept far more widely.
/// </summary>
public static class OwnerOnlyFile
{
    /// <summary>
    /// Where <paramref name="name"/> lives for <paramref name="store"/>: beside the SQLite file, or under <c>data/</c> of the
    /// working directory for PostgreSQL.
    /// </summary>
    public static string BesideStore(HubStoreOptions store, string name) =>
        Path.Combine(store.IsPostgres ? Path.GetFullPath("data") : Path.GetDirectoryName(Path.GetFullPath(store.SqlitePath))!, name);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>, created readable and writable by the owner only.</summary>
    public static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Deleted first: the mode applies only to a file being created.
        File.Delete(path);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, create);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
