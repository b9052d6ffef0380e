using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hub.Persistence.Encryption;

/// <summary>
/// The column keys in force, checked once at start. Values are sealed with AES-256-GCM under a random nonce into a
/// versioned envelope naming the key (<c>enc1:&lt;keyId&gt;:&lt;base64 nonce|ciphertext|tag&gt;</c>); blind indexes are
/// HMAC-SHA256 of the normalised value under a separate key (<c>bix1:&lt;indexKeyId&gt;:&lt;base64&gt;</c>). Key material never
/// leaves this class: messages name key ids only.
/// </summary>
public sealed class ColumnKeyRing
{
    /// <summary>Start of every encrypted value (format version 1).</summary>
    public const string EnvelopePrefix = "enc1:";

    /// <summary>Start of every blind index (format version 1).</summary>
    public const string IndexPrefix = "bix1:";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly Dictionary<string, byte[]> _indexKeys;

    private ColumnKeyRing(Dictionary<string, byte[]> keys, string activeKeyId, Dictionary<string, byte[]> indexKeys, string activeIndexKeyId, string? keyFile)
    {
        _keys = keys;
        _indexKeys = indexKeys;
        ActiveKeyId = activeKeyId;
        ActiveIndexKeyId = activeIndexKeyId;
        KeyFile = keyFile;
        // Identifies the key set for the EF model cache (the converters close over this ring) without revealing a key.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (id, key) in keys.OrderBy(k => k.Key, StringComparer.Ordinal).Concat(indexKeys.OrderBy(k => k.Key, StringComparer.Ordinal)))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(id + "\0"));
            sha.AppendData(key);
        }
        sha.AppendData(Encoding.UTF8.GetBytes(activeKeyId + "\0" + activeIndexKeyId));
        Fingerprint = Convert.ToHexString(sha.GetHashAndReset())[..16];
    }

    /// <summary>The key new values are encrypted with.</summary>
    public string ActiveKeyId { get; }

    /// <summary>The key new blind indexes are computed with (lookups try every index key held: <see cref="BlindIndexes"/>).</summary>
    public string ActiveIndexKeyId { get; }

    /// <summary>The key file the keys came from, when they were not configured directly.</summary>
    public string? KeyFile { get; }

    /// <summary>A one-way identity of the key set (for caching; it reveals nothing of the keys).</summary>
    public string Fingerprint { get; }

    /// <summary>The ids of the encryption keys held.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>
    /// The ring from <paramref name="options"/>: the configured keys, else those of <see cref="ColumnEncryptionOptions.KeyFile"/>
    /// (or <paramref name="defaultKeyFile"/>), created with fresh keys when absent. Without keys and without a file to keep
    /// them in, throws: a store shared by several hosts needs the keys from configuration.
    /// </summary>
    /// <exception cref="ArgumentException">A key is missing, not base64, not 32 bytes, or an active id names no key.</exception>
    public static ColumnKeyRing Load(ColumnEncryptionOptions? options, string? defaultKeyFile)
    {
        options ??= new ColumnEncryptionOptions();
        if (options.HasKeys)
            return From(options, $"{ColumnEncryptionOptions.Section}", keyFile: null);
        var file = options.KeyFile ?? defaultKeyFile ?? throw new ArgumentException(
            $"{ColumnEncryptionOptions.Section} is required: Keys:<id> and IndexKeys:<id> (base64 of 32 random bytes each), ActiveKeyId and " +
            $"ActiveIndexKeyId, or KeyFile. Every host of a shared PostgreSQL store must use the same keys.");
        file = Path.GetFullPath(file);
        return From(ReadOrCreate(file), $"{ColumnEncryptionOptions.Section}:KeyFile {file}", file);
    }

    /// <summary>Seals <paramref name="plain"/> under the active key with a fresh nonce.</summary>
    public string Encrypt(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + data.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[ActiveKeyId], TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize, data.Length), sealedBytes.AsSpan(NonceSize + data.Length, TagSize));
        return $"{EnvelopePrefix}{ActiveKeyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>
    /// Opens a value sealed by <see cref="Encrypt"/> under any key held. A value without the envelope is plaintext written
    /// before its column was encrypted (the migration's data step seals it) and is returned as it is.
    /// </summary>
    /// <exception cref="CryptographicException">The key is not held, or the value was altered or sealed with other key material.</exception>
    public string Decrypt(string stored)
    {
        if (!stored.StartsWith(EnvelopePrefix, StringComparison.Ordinal))
            return stored;
        var colon = stored.IndexOf(':', EnvelopePrefix.Length);
        if (colon < 0)
            throw new CryptographicException("An encrypted column value is malformed (no key id).");
        var id = stored[EnvelopePrefix.Length..colon];
        if (!_keys.TryGetValue(id, out var key))
            throw new CryptographicException(
                $"A column value is encrypted with key '{id}', which {ColumnEncryptionOptions.Section}:Keys does not hold: put it back until rotate-column-keys has re-encrypted every row.");
        var sealedBytes = Convert.FromBase64String(stored[(colon + 1)..]);
        if (sealedBytes.Length < NonceSize + TagSize)
            throw new CryptographicException("An encrypted column value is malformed (too short).");
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new CryptographicException($"A column value does not open with key '{id}': the key's material differs from the one that sealed it, or the value was altered.", ex);
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Whether <paramref name="stored"/> is sealed under the active key (nothing for a rotation to do).</summary>
    public bool IsUnderActiveKey(string stored) => stored.StartsWith($"{EnvelopePrefix}{ActiveKeyId}:", StringComparison.Ordinal);

    /// <summary>
    /// The blind index of a normalised value under the active index key: what a write stores. "" stays "" (no value),
    /// and a value that is already an index is returned unchanged, so an index read back from the store compares as
    /// itself. A lookup uses <see cref="BlindIndexes"/>: rows written before the active index key changed carry another.
    /// </summary>
    public string BlindIndex(string normalised) =>
        normalised.Length == 0 || normalised.StartsWith(IndexPrefix, StringComparison.Ordinal) ? normalised : Index(ActiveIndexKeyId, normalised);

    /// <summary>
    /// Every blind index a stored row may carry for a normalised value: one per configured index key, the active key's
    /// first. The one entry point of lookups (compare with <c>indexes.Contains(column)</c>): while a new index key is
    /// active and <c>rotate-column-keys</c> has not yet rebuilt every row, a row indexed under the older key is still
    /// found. "" (no value) gives none, so it finds nothing; a value that is already an index gives itself.
    /// </summary>
    public IReadOnlyList<string> BlindIndexes(string normalised)
    {
        if (normalised.Length == 0)
            return [];
        if (normalised.StartsWith(IndexPrefix, StringComparison.Ordinal))
            return [normalised];
        return [Index(ActiveIndexKeyId, normalised), .. IndexKeyIds.Where(id => id != ActiveIndexKeyId).Order(StringComparer.Ordinal).Select(id => Index(id, normalised))];
    }

    /// <summary>The ids of the index keys held (the active one and those kept until a rotation has rebuilt their rows).</summary>
    public IReadOnlyCollection<string> IndexKeyIds => _indexKeys.Keys;

    private string Index(string indexKeyId, string normalised) =>
        $"{IndexPrefix}{indexKeyId}:{Convert.ToBase64String(HMACSHA256.HashData(_indexKeys[indexKeyId], Encoding.UTF8.GetBytes(normalised)))}";

    /// <summary>Whether <paramref name="stored"/> is an index under the active index key (or empty).</summary>
    public bool IsUnderActiveIndexKey(string stored) => stored.Length == 0 || stored.StartsWith($"{IndexPrefix}{ActiveIndexKeyId}:", StringComparison.Ordinal);

    private static ColumnKeyRing From(ColumnEncryptionOptions options, string source, string? keyFile)
    {
        var keys = Decode(options.Keys, $"{source}:Keys");
        var indexKeys = Decode(options.IndexKeys, $"{source}:IndexKeys");
        var active = Active(options.ActiveKeyId, keys, source, "ActiveKeyId", "Keys");
        var activeIndex = Active(options.ActiveIndexKeyId, indexKeys, source, "ActiveIndexKeyId", "IndexKeys");
        if (indexKeys.Values.Any(i => keys.Values.Any(k => CryptographicOperations.FixedTimeEquals(i, k))))
            throw new ArgumentException($"{source}: an index key must not also be an encryption key.");
        return new ColumnKeyRing(keys, active, indexKeys, activeIndex, keyFile);
    }

    private static Dictionary<string, byte[]> Decode(Dictionary<string, string>? configured, string where)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, text) in configured ?? [])
        {
            // At most 12, so an index (bix1:<id>:<44 base64>) fits its 64-character column.
            if (id.Length is 0 or > 12 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                throw new ArgumentException($"{where}: key id '{id}' must be 1-12 letters, digits or '-'.");
            byte[] key;
            try
            {
                key = Convert.FromBase64String(text ?? "");
            }
            catch (FormatException)
            {
                throw new ArgumentException($"{where}:{id} is not base64 (expected 32 random bytes, e.g. from `openssl rand -base64 32`).");
            }
            if (key.Length != 32)
                throw new ArgumentException($"{where}:{id} is {key.Length} bytes; AES-256 and HMAC-SHA256 keys here are 32 bytes (base64 of 32 random bytes).");
            keys[id] = key;
        }
        return keys;
    }

    private static string Active(string? id, Dictionary<string, byte[]> keys, string source, string activeName, string keysName)
    {
        if (keys.Count == 0)
            throw new ArgumentException($"{source}:{keysName} is required: at least one key, base64 of 32 random bytes.");
        if (string.IsNullOrWhiteSpace(id))
            throw new ArgumentException($"{source}:{activeName} is required: the id of one of {source}:{keysName}.");
        if (!keys.ContainsKey(id))
            throw new ArgumentException($"{source}:{activeName} '{id}' names no key of {source}:{keysName} (held: {string.Join(", ", keys.Keys)}).");
        return id;
    }

    private static ColumnEncryptionOptions ReadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                // Readable by the owner only; CreateNew so two processes starting at once keep the first one's keys.
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, create);
                JsonSerializer.Serialize(stream, ColumnEncryptionOptions.Generate());
            }
            catch (IOException) when (File.Exists(file))
            {
            }
        }
        try
        {
            return JsonSerializer.Deserialize<ColumnEncryptionOptions>(File.ReadAllText(file)) ?? new ColumnEncryptionOptions();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{ColumnEncryptionOptions.Section}:KeyFile {file} is not a key file ({ex.Message}).");
        }
    }
}
