namespace Hub.Persistence.Encryption;

/// <summary>
/// Keys of the sensitive columns (configuration section <c>Hub:ColumnEncryption</c>): AES-256 keys that encrypt the
/// values, and separate HMAC keys for the blind indexes that let an exact value (a caller number) be found. Each key
/// has an id that travels with what it produced, so old rows stay readable after a new key becomes active.
/// </summary>
public sealed class ColumnEncryptionOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Hub:ColumnEncryption";

    /// <summary>Encryption keys by id: base64 of 32 random bytes each (<c>Hub:ColumnEncryption:Keys:&lt;id&gt;</c>).</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key new values are encrypted with.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Blind-index (HMAC-SHA256) keys by id: base64 of 32 random bytes each, never one of <see cref="Keys"/>.</summary>
    public Dictionary<string, string> IndexKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The index key new rows are indexed with. Lookups try every key of <see cref="IndexKeys"/>, so a new active key
    /// takes effect host by host while the hub runs; <c>rotate-column-keys</c> then rebuilds the older rows' indexes,
    /// after which the old key may be removed.
    /// </summary>
    public string? ActiveIndexKeyId { get; set; }

    /// <summary>
    /// A JSON file holding the keys in the same shape, used when no keys are configured: created with fresh keys
    /// (readable by the owner only) on first start. The embedded default keeps it beside its SQLite file.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>Whether any key is configured directly (rather than through <see cref="KeyFile"/>).</summary>
    public bool HasKeys => Keys.Count > 0 || IndexKeys.Count > 0 || ActiveKeyId is not null || ActiveIndexKeyId is not null;

    /// <summary>
    /// These keys as configuration entries (<c>Hub:ColumnEncryption:Keys:k1=…</c>), for a host's command line (with a
    /// leading <c>--</c>) or an in-memory configuration. They hold key material: hand them to processes, never to logs.
    /// </summary>
    public IEnumerable<string> AsSettings() =>
        Keys.Select(k => $"{Section}:Keys:{k.Key}={k.Value}")
            .Concat(IndexKeys.Select(k => $"{Section}:IndexKeys:{k.Key}={k.Value}"))
            .Append($"{Section}:ActiveKeyId={ActiveKeyId}")
            .Append($"{Section}:ActiveIndexKeyId={ActiveIndexKeyId}");

    /// <summary>Fresh random keys <c>k1</c> and <c>i1</c>, both active.</summary>
    public static ColumnEncryptionOptions Generate() => new()
    {
        Keys = new(StringComparer.Ordinal) { ["k1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
        ActiveKeyId = "k1",
        IndexKeys = new(StringComparer.Ordinal) { ["i1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
        ActiveIndexKeyId = "i1",
    };
}
