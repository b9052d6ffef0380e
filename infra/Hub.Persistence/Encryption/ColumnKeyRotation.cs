using System.Data.Common;
using System.Text.Json;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hub.Persistence.Encryption;

/// <summary>
/// Brings stored values up to the keys in force, in batches: seals plaintext, re-seals values under a retired key with the
/// active one, recomputes blind indexes under the active index key (from their decrypted source), and does the same
/// inside the change history's snapshots. Rows are rewritten only if unchanged since read, so it runs beside live writes.
/// It works on the one database it is given and skips the tables that database does not hold; run it on each of
/// <see cref="HubModuleStore.OpenEachDatabase"/> (on SQLite the audit keeps its own file). Tables page by their primary
/// key, composite keys included.
/// The migrations' data step runs it for plaintext only; <c>rotate-column-keys</c> runs it for everything.
/// </summary>
public static class ColumnKeyRotation
{
    /// <summary>
    /// Rewrites what is not under the active keys (with <paramref name="plaintextOnly"/>: only what is not encrypted or
    /// indexed at all) in the tables named, or in every table with encrypted columns when <paramref name="tables"/> is null.
    /// Returns the rows rewritten per table (<c>hub_entity_change</c> for history snapshots).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(HubDbContext db, bool plaintextOnly,
        IReadOnlyCollection<string>? tables = null, int batchSize = 500, CancellationToken ct = default)
    {
        var ring = db.RequiredColumnKeys;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rewritten = new Dictionary<string, int>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var present = await TablesIn(db, ct);
            var plans = Plan(db.Model).Where(p => present.Contains(p.Table) && (tables is null || tables.Contains(p.Table))).ToList();
            foreach (var plan in plans)
                rewritten[plan.Table] = await RunTable(db, ring, plan, plaintextOnly, batchSize, ct);
            var historyTypes = plans.SelectMany(p => p.EntityTypes).Where(e => e.FindAnnotation(ChangeHistoryModel.Annotation)?.Value is true)
                .DistinctBy(e => e.ClrType.Name).ToDictionary(e => e.ClrType.Name);
            // A store whose history module migrates after this one has no history yet.
            if (historyTypes.Count > 0 && present.Contains("hub_entity_change"))
                rewritten["hub_entity_change"] = await RunHistory(db, ring, historyTypes, plaintextOnly, batchSize, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return rewritten;
    }

    /// <summary>
    /// Checks at start that the keys open what the store holds: no encrypted column holds a value under a key id that is
    /// not configured, every configured key opens a value it sealed, no blind index is under an index key that is not
    /// configured, and every configured index key computes the indexes stored under its id. Throws
    /// <see cref="InvalidOperationException"/> naming the table, column and key id (never key material), so a removed or
    /// mistyped key stops the host instead of failing reads (or finding nothing) later.
    /// </summary>
    public static async Task CheckKeysAsync(HubDbContext db, CancellationToken ct = default)
    {
        var ring = db.RequiredColumnKeys;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var present = await TablesIn(db, ct);
            foreach (var plan in Plan(db.Model).Where(p => present.Contains(p.Table)))
            {
                var sealedColumns = plan.Columns.Where(c => c.Encrypted).Select(c => c.Name).ToList();
                if (sealedColumns.Count > 0)
                {
                    // One value under an unknown key is enough to refuse.
                    var held = ring.KeyIds.Select(id => $"{ColumnKeyRing.EnvelopePrefix}{id}:").ToList();
                    var unknown = string.Join(" OR ", sealedColumns.Select(c => $"(substr({Q(c)}, 1, {ColumnKeyRing.EnvelopePrefix.Length}) = '{ColumnKeyRing.EnvelopePrefix}' AND NOT ("
                        + string.Join(" OR ", held.Select(p => $"substr({Q(c)}, 1, {p.Length}) = '{p}'")) + "))"));
                    foreach (var value in await Sample(db, plan.Table, sealedColumns, unknown, ct))
                    {
                        var id = value[ColumnKeyRing.EnvelopePrefix.Length..value.IndexOf(':', ColumnKeyRing.EnvelopePrefix.Length)];
                        throw new InvalidOperationException($"Table {plan.Table} holds values encrypted with column key '{id}', which " +
                            $"{ColumnEncryptionOptions.Section}:Keys does not hold. Put it back: a key may go only after rotate-column-keys has re-encrypted every row.");
                    }
                    foreach (var prefix in held)
                    foreach (var value in (await Sample(db, plan.Table, sealedColumns,
                                 string.Join(" OR ", sealedColumns.Select(c => $"substr({Q(c)}, 1, {prefix.Length}) = '{prefix}'")), ct)).Where(v => v.StartsWith(prefix, StringComparison.Ordinal)).Take(1))
                    {
                        try
                        {
                            ring.Decrypt(value);
                        }
                        catch (System.Security.Cryptography.CryptographicException ex)
                        {
                            throw new InvalidOperationException($"Table {plan.Table}: {ex.Message} Check {ColumnEncryptionOptions.Section}:Keys.", ex);
                        }
                    }
                }
                foreach (var index in plan.Columns.Where(c => !c.Encrypted))
                    await CheckIndexKeys(db, ring, plan.Table, index, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Refuses a blind-index column holding indexes under an index key that is not configured (those rows would no
    /// longer be found), and checks each configured index key against one row indexed under it (other material would
    /// find nothing).
    /// </summary>
    private static async Task CheckIndexKeys(HubDbContext db, ColumnKeyRing ring, string table, Column index, CancellationToken ct)
    {
        var held = ring.IndexKeyIds.Select(id => $"{ColumnKeyRing.IndexPrefix}{id}:").ToList();
        var column = Q(index.Name);
        await using (var unknown = Command(db, $"SELECT {column} FROM {Q(table)} WHERE substr({column}, 1, {ColumnKeyRing.IndexPrefix.Length}) = '{ColumnKeyRing.IndexPrefix}' AND NOT ("
                                                 + string.Join(" OR ", held.Select(p => $"substr({column}, 1, {p.Length}) = '{p}'")) + ") LIMIT 1"))
        {
            if (await unknown.ExecuteScalarAsync(ct) is string value && value.IndexOf(':', ColumnKeyRing.IndexPrefix.Length) is var colon and > 0)
                throw new InvalidOperationException($"Table {table} column {index.Name} holds blind indexes under index key '{value[ColumnKeyRing.IndexPrefix.Length..colon]}', " +
                    $"which {ColumnEncryptionOptions.Section}:IndexKeys does not hold; lookups would not find those rows. Put it back: an index key may go " +
                    $"only after rotate-column-keys has rebuilt every index under '{ring.ActiveIndexKeyId}'.");
        }
        foreach (var prefix in held)
        {
            await using var command = Command(db, $"SELECT {column}, {Q(index.Source!)} FROM {Q(table)} WHERE substr({column}, 1, {prefix.Length}) = '{prefix}' LIMIT 1");
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct) && !reader.IsDBNull(1)
                && !ring.BlindIndexes(index.Normalise!(ring.Decrypt(reader.GetString(1)))).Contains(reader.GetString(0), StringComparer.Ordinal))
            {
                var id = prefix[ColumnKeyRing.IndexPrefix.Length..^1];
                throw new InvalidOperationException($"Table {table} column {index.Name}: the blind indexes under index key '{id}' were computed with other " +
                    $"key material than {ColumnEncryptionOptions.Section}:IndexKeys:{id} holds; lookups would find nothing.");
            }
        }
    }

    private static async Task<List<string>> Sample(HubDbContext db, string table, List<string> columns, string where, CancellationToken ct)
    {
        await using var command = Command(db, $"SELECT {string.Join(", ", columns.Select(Q))} FROM {Q(table)} WHERE {where} LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        if (await reader.ReadAsync(ct))
            for (var i = 0; i < columns.Count; i++)
                if (!reader.IsDBNull(i) && reader.GetString(i).StartsWith(ColumnKeyRing.EnvelopePrefix, StringComparison.Ordinal))
                    values.Add(reader.GetString(i));
        return values;
    }

    /// <summary>
    /// The data step of a migration that starts encrypting columns of <paramref name="tables"/>: seals the plaintext
    /// already there (and indexes it, and the history snapshots of those rows' entities).
    /// </summary>
    public static Func<HubDbContext, CancellationToken, Task> SealPlaintext(params string[] tables) =>
        (db, ct) => RunAsync(db, plaintextOnly: true, tables, ct: ct);

    private sealed record Column(string Name, bool Encrypted, string? Source, Func<string?, string>? Normalise);

    private sealed record TablePlan(string Table, IReadOnlyList<string> Key, IReadOnlyList<Column> Columns, IReadOnlyList<IEntityType> EntityTypes);

    private static IEnumerable<TablePlan> Plan(IModel model)
    {
        foreach (var group in model.GetEntityTypes().Where(e => e.GetTableName() is not null).GroupBy(e => e.GetTableName()!))
        {
            var store = StoreObjectIdentifier.Table(group.Key, group.First().GetSchema());
            var columns = group.SelectMany(e => e.GetProperties().Select(p => (Entity: e, Property: p)))
                .Where(x => x.Property.IsEncrypted() || x.Property.BlindIndexOf() is not null)
                .Select(x => x.Property.BlindIndexOf() is { } index
                    ? new Column(x.Property.GetColumnName(store)!, false, x.Entity.FindProperty(index.Property)!.GetColumnName(store), index.Normalise)
                    : new Column(x.Property.GetColumnName(store)!, true, null, null))
                .DistinctBy(c => c.Name).ToList();
            if (columns.Count == 0)
                continue;
            var key = group.First().FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)!).ToList();
            rewrittenCheck(columns, group.Key);
            yield return new TablePlan(group.Key, key, columns, group.ToList());
        }

        static void rewrittenCheck(List<Column> columns, string table)
        {
            foreach (var index in columns.Where(c => !c.Encrypted))
                if (index.Source is null)
                    throw new InvalidOperationException($"A blind index of table {table} names a source column that is not mapped there.");
        }
    }

    private static async Task<int> RunTable(HubDbContext db, ColumnKeyRing ring, TablePlan plan, bool plaintextOnly, int batchSize, CancellationToken ct)
    {
        var envelope = plaintextOnly ? ColumnKeyRing.EnvelopePrefix : $"{ColumnKeyRing.EnvelopePrefix}{ring.ActiveKeyId}:";
        var index = plaintextOnly ? ColumnKeyRing.IndexPrefix : $"{ColumnKeyRing.IndexPrefix}{ring.ActiveIndexKeyId}:";
        // Only rows with something to do; a column's own prefix says whether it is done (no plaintext starts so).
        var stale = string.Join(" OR ", plan.Columns.Select(c => c.Encrypted
            ? $"({Q(c.Name)} IS NOT NULL AND {Q(c.Name)} <> '' AND substr({Q(c.Name)}, 1, {envelope.Length}) <> '{envelope}')"
            : $"({Q(c.Name)} IS NOT NULL AND {Q(c.Name)} <> '' AND substr({Q(c.Name)}, 1, {index.Length}) <> '{index}')"));
        var sources = plan.Columns.Where(c => !c.Encrypted).Select(c => c.Source!).Except(plan.Columns.Select(c => c.Name)).Distinct().ToList();
        var selected = plan.Columns.Select(c => c.Name).Concat(sources).ToList();
        var total = 0;
        object[]? last = null;
        // Pages in key order; a composite key (an idempotent answer's user, route and key) compares as a row value.
        var keyList = string.Join(", ", plan.Key.Select(Q));
        var keyTuple = plan.Key.Count == 1 ? keyList : $"({keyList})";
        var lastTuple = plan.Key.Count == 1 ? "@last0" : $"({string.Join(", ", plan.Key.Select((_, i) => $"@last{i}"))})";
        while (true)
        {
            var rows = new List<(object[] Key, Dictionary<string, string?> Values)>();
            await using (var select = Command(db, $"SELECT {keyList}, {string.Join(", ", selected.Select(Q))} FROM {Q(plan.Table)} " +
                         $"WHERE {(last is null ? "" : $"{keyTuple} > {lastTuple} AND ")}({stale}) ORDER BY {keyList} LIMIT {batchSize}"))
            {
                for (var i = 0; last is not null && i < last.Length; i++)
                    Add(select, $"last{i}", last[i]);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    rows.Add((plan.Key.Select((_, i) => reader.GetValue(i)).ToArray(),
                        selected.Select((name, i) => (name, value: reader.IsDBNull(plan.Key.Count + i) ? null : reader.GetString(plan.Key.Count + i)))
                            .ToDictionary(x => x.name, x => x.value)));
            }
            if (rows.Count == 0)
                return total;
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            foreach (var (key, values) in rows)
            {
                var changes = new Dictionary<string, (string Old, string New)>();
                foreach (var column in plan.Columns)
                {
                    if (values[column.Name] is not { Length: > 0 } old)
                        continue;
                    if (column.Encrypted && !old.StartsWith(envelope, StringComparison.Ordinal))
                        changes[column.Name] = (old, ring.Encrypt(ring.Decrypt(old)));
                    else if (!column.Encrypted && !old.StartsWith(index, StringComparison.Ordinal))
                        changes[column.Name] = (old, ring.BlindIndex(column.Normalise!(values[column.Source!] is { } source ? ring.Decrypt(source) : null)));
                }
                if (changes.Count == 0)
                    continue;
                var names = changes.Keys.ToList();
                await using var update = Command(db, $"UPDATE {Q(plan.Table)} SET {string.Join(", ", names.Select((n, i) => $"{Q(n)} = @n{i}"))} " +
                                                     $"WHERE {string.Join(" AND ", plan.Key.Select((k, i) => $"{Q(k)} = @key{i}"))}" +
                                                     $"{string.Concat(names.Select((n, i) => $" AND {Q(n)} = @o{i}"))}");
                for (var i = 0; i < key.Length; i++)
                    Add(update, $"key{i}", key[i]);
                for (var i = 0; i < names.Count; i++)
                {
                    Add(update, $"n{i}", changes[names[i]].New);
                    Add(update, $"o{i}", changes[names[i]].Old);
                }
                total += await update.ExecuteNonQueryAsync(ct);
            }
            if (transaction is not null)
                await transaction.CommitAsync(ct);
            last = rows[^1].Key;
        }
    }

    private static async Task<int> RunHistory(HubDbContext db, ColumnKeyRing ring, Dictionary<string, IEntityType> types, bool plaintextOnly,
        int batchSize, CancellationToken ct)
    {
        var names = types.Keys.ToList();
        var total = 0;
        long last = 0;
        while (true)
        {
            var batch = await db.Set<EntityChange>().Where(c => names.Contains(c.EntityType) && c.Id > last).OrderBy(c => c.Id).Take(batchSize).ToListAsync(ct);
            if (batch.Count == 0)
                return total;
            foreach (var change in batch)
            {
                var entity = types[change.EntityType];
                var before = Rewrite(entity, ring, change.Before, plaintextOnly);
                var after = Rewrite(entity, ring, change.After, plaintextOnly);
                if (before == change.Before && after == change.After)
                    continue;
                (change.Before, change.After) = (before, after);
                total++;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            last = batch[^1].Id;
        }
    }

    /// <summary>
    /// The tables this database holds: a module migrated later has none yet, and on SQLite a module with a file of its
    /// own (the audit) has its tables there, not in the main file.
    /// </summary>
    private static async Task<HashSet<string>> TablesIn(HubDbContext db, CancellationToken ct)
    {
        await using var command = Command(db, db.Database.IsNpgsql()
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'table'");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            tables.Add(reader.GetString(0));
        return tables;
    }

    private static string? Rewrite(IEntityType entity, ColumnKeyRing ring, string? json, bool plaintextOnly)
    {
        if (json is null)
            return null;
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        var changed = false;
        foreach (var (name, value) in values.ToArray())
        {
            if (entity.FindProperty(name) is not { } property || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } old)
                continue;
            string? next = null;
            if (property.IsEncrypted() && (plaintextOnly ? !old.StartsWith(ColumnKeyRing.EnvelopePrefix, StringComparison.Ordinal) : !ring.IsUnderActiveKey(old)))
                next = ring.Encrypt(ring.Decrypt(old));
            else if (property.BlindIndexOf() is { } index
                     && (plaintextOnly ? !old.StartsWith(ColumnKeyRing.IndexPrefix, StringComparison.Ordinal) : !ring.IsUnderActiveIndexKey(old)))
                next = ring.BlindIndex(index.Normalise(values.TryGetValue(index.Property, out var source) && source.ValueKind == JsonValueKind.String
                    ? ring.Decrypt(source.GetString()!) : null));
            if (next is null)
                continue;
            values[name] = JsonSerializer.SerializeToElement(next);
            changed = true;
        }
        return changed ? JsonSerializer.Serialize(values) : json;
    }

    private static DbCommand Command(HubDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
