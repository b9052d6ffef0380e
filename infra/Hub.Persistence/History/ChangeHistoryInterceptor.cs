using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Persistence.History;

/// <summary>
/// Adds an <see cref="EntityChange"/> for every added, modified or deleted entity whose type keeps its history, to the
/// same save (so the record and the change commit together). It asks the context's own scope who is changing.
/// </summary>
internal sealed class ChangeHistoryInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is null)
            return;
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                        && e.Metadata.FindAnnotation(ChangeHistoryModel.Annotation)?.Value is true)
            .ToList();
        if (entries.Count == 0)
            return;
        // The scope that created this context (AddDbContext hands it over), so a scoped author source sees this call or message.
        var scope = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        var author = scope?.GetService<IChangeAuthorSource>()?.Current ?? new ChangeAuthor("system", "system");
        var pending = (context as HubDbContext)?.PendingHistoryNote;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var entry in entries)
        {
            if (entry.State == EntityState.Modified && !entry.Properties.Any(p => p.IsModified && !p.Metadata.IsNotInHistory()))
                continue;
            context.Add(new EntityChange
            {
                At = now,
                EntityType = entry.Metadata.ClrType.Name,
                EntityKey = KeyOf(entry),
                Operation = entry.State switch
                {
                    EntityState.Added => "added",
                    EntityState.Deleted => "deleted",
                    _ => pending?.Operation ?? "modified",
                },
                Before = entry.State == EntityState.Added ? null : Snapshot(entry, original: true),
                After = entry.State == EntityState.Deleted ? null : Snapshot(entry, original: false),
                Actor = author.Actor,
                Channel = author.Channel,
                MessageId = author.MessageId,
                Note = pending?.Note,
            });
        }
        if (context is HubDbContext hub)
            hub.PendingHistoryNote = null;
    }

    internal static string KeyOf(EntityEntry entry) =>
        string.Join("|", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));

    private static string Snapshot(EntityEntry entry, bool original) => JsonSerializer.Serialize(
        entry.Properties.Where(p => (!p.Metadata.IsShadowProperty() || p.Metadata.IsForeignKey()) && !p.Metadata.IsNotInHistory())
            .ToDictionary(p => p.Metadata.Name, p => Encryption.EncryptedColumns.AsRecorded(p.Metadata, original ? p.OriginalValue : p.CurrentValue)));
}
