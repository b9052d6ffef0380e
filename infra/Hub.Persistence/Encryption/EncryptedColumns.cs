using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hub.Persistence.Encryption;

/// <summary>
/// Marks sensitive columns in a store model: <see cref="IsEncrypted"/> stores a value sealed (AES-256-GCM) and reads it
/// back open; <see cref="IsBlindIndexOf"/> stores an exact-match lookup key as a keyed hash. The context applies the
/// converters with its <see cref="ColumnKeyRing"/>, so a mapping only says which columns, never with which key.
/// </summary>
public static class EncryptedColumns
{
    internal const string EncryptedAnnotation = "Hub:Encrypted";
    internal const string BlindIndexAnnotation = "Hub:BlindIndexOf";

    /// <summary>
    /// The column holds the value encrypted (text of unbounded length: the envelope is longer than the value, so a
    /// PostgreSQL column needs type <c>text</c>). Reads, writes and the change history see and keep it sealed; the
    /// entity sees it open. Equality queries on it find nothing (each write has a fresh nonce): give it a blind index.
    /// </summary>
    public static PropertyBuilder<T> IsEncrypted<T>(this PropertyBuilder<T> property)
    {
        if (property.Metadata.ClrType != typeof(string))
            throw new InvalidOperationException($"{property.Metadata.DeclaringType.DisplayName()}.{property.Metadata.Name}: only text properties can be encrypted.");
        // No length: the envelope outgrows the value, and a length would let a provider cut the envelope short.
        property.HasAnnotation(EncryptedAnnotation, true);
        property.Metadata.SetMaxLength(null);
        return property;
    }

    /// <summary>
    /// The column is the blind index of <paramref name="sourceProperty"/> (an encrypted property of the same entity):
    /// the entity sets it to <paramref name="normalise"/> of the value, and the store keeps HMAC-SHA256 of that under the
    /// active index key. A lookup compares the column with <see cref="ColumnKeyRing.BlindIndexes"/> of the normalised
    /// value (<c>indexes.Contains(column)</c>, which uses the index), so rows indexed under an older index key are found
    /// until <c>rotate-column-keys</c> has rebuilt them from the source. Read back, it is the hash, under whichever key
    /// wrote it: compare sources, not read-back indexes. Not for a unique index: while two index keys are configured one
    /// value can be stored under either key's hash.
    /// </summary>
    public static PropertyBuilder<string> IsBlindIndexOf(this PropertyBuilder<string> property, string sourceProperty, Func<string?, string> normalise)
    {
        property.HasAnnotation(BlindIndexAnnotation, new BlindIndexSource(sourceProperty, normalise)).HasMaxLength(64);
        return property;
    }

    /// <summary>Whether <paramref name="property"/> is stored encrypted.</summary>
    public static bool IsEncrypted(this IReadOnlyProperty property) => property.FindAnnotation(EncryptedAnnotation)?.Value is true;

    /// <summary>What <paramref name="property"/> is the blind index of, or null when it is none.</summary>
    public static BlindIndexSource? BlindIndexOf(this IReadOnlyProperty property) => property.FindAnnotation(BlindIndexAnnotation)?.Value as BlindIndexSource;

    /// <summary>Puts the converters of the marked properties in place; called by the context after every module's mapping.</summary>
    internal static void Apply(ModelBuilder model, ColumnKeyRing? ring)
    {
        foreach (var property in model.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredProperties()))
        {
            var encrypted = property.IsEncrypted();
            var index = property.BlindIndexOf();
            if (!encrypted && index is null)
                continue;
            if (ring is null)
                throw new InvalidOperationException(
                    $"{property.DeclaringType.DisplayName()}.{property.Name} is stored encrypted but no column keys are registered (AddHubStore registers them from {ColumnEncryptionOptions.Section}).");
            property.SetValueConverter(encrypted
                ? new ValueConverter<string, string>(v => ring.Encrypt(v), v => ring.Decrypt(v))
                : new ValueConverter<string, string>(v => ring.BlindIndex(v), v => v));
        }
    }

    /// <summary>
    /// A value as the change history keeps it: what the store keeps for encrypted and blind-index properties (sealed,
    /// hashed), the value itself for the others. So the history table holds no plaintext of a sealed column.
    /// </summary>
    internal static object? AsRecorded(IReadOnlyProperty property, object? value) =>
        value is string text && (property.IsEncrypted() || property.BlindIndexOf() is not null)
            ? property.GetValueConverter()!.ConvertToProvider(text)
            : value;

    /// <summary>
    /// A recorded snapshot opened for reading: encrypted values decrypted, blind indexes left out (a hash means nothing to
    /// a reader, and a restore computes them afresh from their source).
    /// </summary>
    internal static Dictionary<string, JsonElement> Reveal(IReadOnlyEntityType entity, Dictionary<string, JsonElement> values)
    {
        foreach (var (name, value) in values.ToArray())
        {
            var property = entity.FindProperty(name);
            if (property?.BlindIndexOf() is not null)
                values.Remove(name);
            else if (property is not null && property.IsEncrypted() && value.ValueKind == JsonValueKind.String)
                values[name] = JsonSerializer.SerializeToElement(property.GetValueConverter()!.ConvertFromProvider(value.GetString()!));
        }
        return values;
    }
}

/// <summary>The property a blind index is computed from, and how its value is normalised first.</summary>
/// <param name="Property">The source property (on the same entity).</param>
/// <param name="Normalise">Turns the source's open value into the key that is hashed ("" for none).</param>
public sealed record BlindIndexSource(string Property, Func<string?, string> Normalise);
