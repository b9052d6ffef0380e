using System.Text.Json;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Hub.Persistence.History;

/// <summary>A record as it was at a moment: its values then, and the change that made them so.</summary>
public sealed record RecordAsOf(EntityChange Change, IReadOnlyDictionary<string, JsonElement> Values);

/// <summary>Reading a record's history, showing it as of a moment, and restoring it to that moment.</summary>
public static class ChangeHistory
{
    /// <summary>Every recorded change of one record, oldest first, its encrypted values opened (blind indexes left out).</summary>
    public static async Task<List<EntityChange>> Of<T>(HubDbContext db, object key, CancellationToken ct) where T : class
    {
        var (type, text) = Identify<T>(db, key);
        var changes = await db.Set<EntityChange>().AsNoTracking().Where(c => c.EntityType == type && c.EntityKey == text)
            .OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        var entity = db.Model.FindEntityType(typeof(T))!;
        foreach (var change in changes)
        {
            change.Before = Reveal(entity, change.Before);
            change.After = Reveal(entity, change.After);
        }
        return changes;
    }

    /// <summary>The record's values as of <paramref name="at"/>; null if it did not exist then.</summary>
    public static async Task<RecordAsOf?> AsOf<T>(HubDbContext db, object key, DateTime at, CancellationToken ct) where T : class
    {
        var (type, text) = Identify<T>(db, key);
        var change = await db.Set<EntityChange>().AsNoTracking().Where(c => c.EntityType == type && c.EntityKey == text && c.At <= at)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (change?.After is null)
            return null;
        return new RecordAsOf(change, EncryptedColumns.Reveal(db.Model.FindEntityType(typeof(T))!,
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(change.After)!));
    }

    /// <summary>
    /// Sets <paramref name="entity"/> (tracked by <paramref name="db"/>) back to its values as of <paramref name="at"/>;
    /// the caller saves, and the save is recorded as a change of its own (operation <c>restored</c>, noting the moment).
    /// Keys and concurrency tokens are left alone. Returns false when the record did not exist at that moment.
    /// </summary>
    public static async Task<bool> RestoreAsync<T>(HubDbContext db, T entity, DateTime at, CancellationToken ct) where T : class
    {
        var entry = db.Entry(entity);
        var key = string.Join("|", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));
        var then = await AsOf<T>(db, key, at, ct);
        if (then is null)
            return false;
        foreach (var property in entry.Properties.Where(p => !p.Metadata.IsPrimaryKey() && !p.Metadata.IsConcurrencyToken))
            if (then.Values.TryGetValue(property.Metadata.Name, out var value))
                property.CurrentValue = value.Deserialize(property.Metadata.ClrType);
        // Blind indexes are not in the opened snapshot: each is computed again from its restored source.
        foreach (var property in entry.Properties)
            if (property.Metadata.BlindIndexOf() is { } index)
                property.CurrentValue = index.Normalise(entry.Property(index.Property).CurrentValue as string);
        db.PendingHistoryNote = new("restored", $"restored to {at:O} (change {then.Change.Id})");
        return true;
    }

    private static string? Reveal(Microsoft.EntityFrameworkCore.Metadata.IEntityType entity, string? json) => json is null ? null
        : JsonSerializer.Serialize(EncryptedColumns.Reveal(entity, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!));

    private static (string Type, string Key) Identify<T>(HubDbContext db, object key) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the store model.");
        if (entity.FindAnnotation(ChangeHistoryModel.Annotation)?.Value is not true)
            throw new InvalidOperationException($"{typeof(T).Name} does not keep its history (call KeepsHistory() in its store model).");
        return (typeof(T).Name, Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!);
    }
}
