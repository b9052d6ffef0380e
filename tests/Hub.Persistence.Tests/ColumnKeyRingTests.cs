using System.Security.Cryptography;
using Hub.Persistence.Encryption;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Persistence.Tests;

/// <summary>The column keys: envelopes, blind indexes, and the start-up checks of their configuration.</summary>
public sealed class ColumnKeyRingTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static ColumnEncryptionOptions Options(string active = "a", params string[] ids) => new()
    {
        Keys = (ids.Length == 0 ? ["a"] : ids).ToDictionary(id => id, _ => NewKey()),
        ActiveKeyId = active,
        IndexKeys = new() { ["i1"] = NewKey() },
        ActiveIndexKeyId = "i1",
    };

    [Fact]
    public void A_value_is_sealed_with_a_fresh_nonce_under_the_active_key_and_opens_again()
    {
        var ring = ColumnKeyRing.Load(Options(), null);
        var first = ring.Encrypt("010-6552 1234");
        var second = ring.Encrypt("010-6552 1234");

        Assert.StartsWith("enc1:a:", first);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("6552", first);
        Assert.Equal("010-6552 1234", ring.Decrypt(first));
        Assert.Equal("010-6552 1234", ring.Decrypt(second));
    }

    [Fact]
    public void An_altered_envelope_or_other_key_material_is_refused_naming_the_key()
    {
        var options = Options();
        var ring = ColumnKeyRing.Load(options, null);
        var sealedValue = ring.Encrypt("6222 0210 0112 3456 789");
        var bytes = Convert.FromBase64String(sealedValue["enc1:a:".Length..]);
        bytes[^1] ^= 1;

        var altered = Assert.Throws<CryptographicException>(() => ring.Decrypt("enc1:a:" + Convert.ToBase64String(bytes)));
        Assert.Contains("'a'", altered.Message);
        options.Keys["a"] = NewKey();
        Assert.Throws<CryptographicException>(() => ColumnKeyRing.Load(options, null).Decrypt(sealedValue));
        var removed = Assert.Throws<CryptographicException>(() => ColumnKeyRing.Load(Options("b", "b"), null).Decrypt(sealedValue));
        Assert.Contains("key 'a'", removed.Message);
    }

    [Fact]
    public void Values_under_an_older_key_stay_readable_after_a_new_key_becomes_active()
    {
        var options = Options();
        var old = ColumnKeyRing.Load(options, null).Encrypt("13812345678");
        options.Keys["b"] = NewKey();
        options.ActiveKeyId = "b";
        var rotated = ColumnKeyRing.Load(options, null);

        Assert.Equal("13812345678", rotated.Decrypt(old));
        Assert.False(rotated.IsUnderActiveKey(old));
        Assert.StartsWith("enc1:b:", rotated.Encrypt("13812345678"));
    }

    [Fact]
    public void A_blind_index_is_deterministic_keyed_and_idempotent()
    {
        var ring = ColumnKeyRing.Load(Options(), null);
        var index = ring.BlindIndex("1065521234");

        Assert.StartsWith("bix1:i1:", index);
        Assert.Equal(index, ring.BlindIndex("1065521234"));
        Assert.Equal(index, ring.BlindIndex(index));
        Assert.Equal("", ring.BlindIndex(""));
        Assert.NotEqual(index, ColumnKeyRing.Load(Options(), null).BlindIndex("1065521234"));
    }

    [Fact]
    public void A_lookup_gets_the_index_under_every_index_key_held_the_active_first()
    {
        var options = Options();
        var before = ColumnKeyRing.Load(options, null);
        options.IndexKeys["i2"] = NewKey();
        options.ActiveIndexKeyId = "i2";
        var both = ColumnKeyRing.Load(options, null);

        var indexes = both.BlindIndexes("1065521234");
        Assert.Equal([both.BlindIndex("1065521234"), before.BlindIndex("1065521234")], indexes);
        Assert.StartsWith("bix1:i2:", indexes[0]);
        Assert.Equal([before.BlindIndex("1065521234")], before.BlindIndexes("1065521234"));
        Assert.Equal([indexes[1]], both.BlindIndexes(indexes[1]));
        Assert.Empty(both.BlindIndexes(""));
    }

    [Theory]
    [InlineData("missing-active", "ActiveKeyId 'zz' names no key of Hub:ColumnEncryption:Keys")]
    [InlineData("short-key", "Hub:ColumnEncryption:Keys:a is 16 bytes")]
    [InlineData("not-base64", "Hub:ColumnEncryption:Keys:a is not base64")]
    [InlineData("no-index-key", "Hub:ColumnEncryption:IndexKeys is required")]
    [InlineData("index-is-encryption-key", "an index key must not also be an encryption key")]
    [InlineData("bad-id", "key id 'a:b' must be 1-12 letters, digits or '-'")]
    public void A_wrong_or_missing_key_stops_the_store_at_start_with_the_setting_named(string fault, string message)
    {
        var options = Options();
        switch (fault)
        {
            case "missing-active": options.ActiveKeyId = "zz"; break;
            case "short-key": options.Keys["a"] = Convert.ToBase64String(new byte[16]); break;
            case "not-base64": options.Keys["a"] = "not a key!"; break;
            case "no-index-key": options.IndexKeys.Clear(); break;
            case "index-is-encryption-key": options.IndexKeys["i1"] = options.Keys["a"]; break;
            case "bad-id": options.Keys["a:b"] = NewKey(); break;
        }
        var store = new HubStoreOptions { SqlitePath = Path.Combine(Path.GetTempPath(), "hub-keys-" + Guid.NewGuid().ToString("N"), "hub.db"), ColumnEncryption = options };

        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHubStore(store));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain(options.Keys.Values.First(), error.Message);
    }

    [Fact]
    public void A_shared_postgres_store_without_keys_does_not_start()
    {
        var store = new HubStoreOptions { Provider = HubStoreOptions.Postgres, PostgresConnectionString = "Host=127.0.0.1;Database=x" };

        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHubStore(store));
        Assert.Contains("Hub:ColumnEncryption is required", error.Message);
    }

    [Fact]
    public void The_embedded_default_keeps_generated_keys_beside_its_database_for_the_owner_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new HubStoreOptions { SqlitePath = Path.Combine(folder, "hub.db") };
            var first = ColumnKeyRing.Load(store.ColumnEncryption, Path.Combine(folder, "column-keys.json"));
            var sealedValue = first.Encrypt("13812345678");
            new ServiceCollection().AddHubStore(store);
            var again = ColumnKeyRing.Load(null, Path.Combine(folder, "column-keys.json"));

            Assert.Equal("13812345678", again.Decrypt(sealedValue));
            Assert.Equal(first.Fingerprint, again.Fingerprint);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "column-keys.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
