using System.Text.Json;
using Crm.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hub.CrmStore.Customers;

/// <summary>
/// The record of each merge (<see cref="CustomerMerged"/>) in <c>crm_customer_merge</c>, one row per retired
/// customer. What moved, and the change-history entries the merge wrote, are kept as JSON lists: read with the merge, never queried alone.
/// </summary>
internal static class CustomerMergeMapping
{
    public static void Configure(ModelBuilder model) => model.Entity<CustomerMerged>(e =>
    {
        e.ToTable("crm_customer_merge");
        e.HasKey(m => m.DuplicateId);
        e.HasIndex(m => m.SurvivorId);
        e.Property(m => m.Actor).HasMaxLength(64);
        e.Property(m => m.At).HasConversion(v => v.ToUniversalTime(), v => v);
        JsonList(e.Property(m => m.ContactIds));
        JsonList(e.Property(m => m.OrderIds));
        JsonList(e.Property(m => m.TicketIds));
        JsonList(e.Property(m => m.HistoryIds));
        JsonList(e.Property(m => m.AttributeKeysTaken));
        JsonList(e.Property(m => m.FieldsFilled));
        // Null for merges recorded before the changes were named (migration crm-customers v3); a JSON list otherwise.
        JsonList(e.Property(m => m.ChangeIds!));
    });

    private static void JsonList<T>(PropertyBuilder<IReadOnlyList<T>> property) => property.HasConversion(
        list => JsonSerializer.Serialize(list, JsonSerializerOptions.Web),
        json => JsonSerializer.Deserialize<T[]>(json, JsonSerializerOptions.Web) ?? Array.Empty<T>(),
        new ValueComparer<IReadOnlyList<T>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));
}
