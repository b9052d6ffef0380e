using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Adapters.Identity;
using Hub.Adapters.Orders;
using Hub.Adapters.ServiceTickets;
using Hub.Persistence;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Customers;

/// <summary>One entry of a customer's timeline: what happened, when, and the record it concerns.</summary>
public sealed record TimelineEntry(DateTime At, string Kind, string Reference, string Title, string? Detail);

/// <summary>A notification as the timeline reads it from the notification functions' table.</summary>
public sealed class TimelineNotificationRow
{
    public Guid Id { get; set; }
    public string Channel { get; set; } = "";
    public string Template { get; set; } = "";
    public string Subject { get; set; } = "";
    public string State { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

/// <summary>
/// A customer's history in one timeline (003 §3.1: 客户的历史): its orders, service tickets, the notifications sent about it,
/// a dealer's visits, negotiations and contract steps, and the changes to its record and to the records merged into it, newest first. The notifications belong to the functions host; in a deployment where
/// it has not created its table yet, the timeline simply has none.
/// </summary>
public static class CustomerTimeline
{
    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="customer"/>, newest first.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> Of(HubDbContext db, Customer customer, MobileCaller caller, int limit, CancellationToken ct)
    {
        var code = customer.Code;
        var entries = new List<TimelineEntry>();
        var orders = await db.Set<MobileOrder>().AsNoTracking().Where(o => o.CustomerCode == code)
            .OrderByDescending(o => o.PlacedAtTicks).Take(limit).ToListAsync(ct);
        entries.AddRange(orders.Select(o => new TimelineEntry(new DateTime(o.PlacedAtTicks, DateTimeKind.Utc), "order", o.OrderNumber,
            $"Order {o.OrderNumber}: {o.Status}", $"{o.TotalAmount:0.00}; owner {o.OwnerUserId}{(o.Reason is null ? "" : "; " + o.Reason)}")));
        var tickets = await db.Set<MobileTicket>().AsNoTracking().Where(t => t.CustomerCode == code)
            .OrderByDescending(t => t.OpenedAtTicks).Take(limit).ToListAsync(ct);
        entries.AddRange(tickets.Select(t => new TimelineEntry(new DateTime(t.OpenedAtTicks, DateTimeKind.Utc), "service-ticket", t.TicketNumber,
            $"{t.Kind} {t.TicketNumber}: {t.Status}", t.Subject)));
        entries.AddRange((await Notifications(db, code, limit, ct)).Select(n => new TimelineEntry(DateTime.SpecifyKind(n.RecordedAt, DateTimeKind.Utc),
            "notification", n.Id.ToString(), $"{n.Channel} {n.Template}: {n.State}", n.Subject)));
        if (customer.IsDealer)
            entries.AddRange(await DealerEntries(db, customer.Id, limit, ct));
        var hidden = caller.HiddenFields(nameof(Customer));
        entries.AddRange((await ChangeHistory.Of<Customer>(db, customer.Id, ct)).Select(c => new TimelineEntry(DateTime.SpecifyKind(c.At, DateTimeKind.Utc),
            "change", c.Id.ToString(), $"Record {c.Operation} by {c.Actor} via {c.Channel}", ChangedFields(c, hidden))));
        // The records merged into this one are part of its history: their changes up to the merge show here, under their own code.
        var merged = await db.Set<Customer>().AsNoTracking().Where(c => c.MergedIntoId == customer.Id).Select(c => new { c.Id, c.Code }).ToListAsync(ct);
        foreach (var duplicate in merged)
            entries.AddRange((await ChangeHistory.Of<Customer>(db, duplicate.Id, ct)).Select(c => new TimelineEntry(DateTime.SpecifyKind(c.At, DateTimeKind.Utc),
                "change", c.Id.ToString(), $"Record of merged {duplicate.Code} {c.Operation} by {c.Actor} via {c.Channel}", ChangedFields(c, hidden))));
        return entries.OrderByDescending(e => e.At).Take(limit).ToList();
    }

    /// <summary>A dealer's inspection visits, negotiations and agency contract steps (003 §3.2); a contract's terms stay out (managers only).</summary>
    private static async Task<IEnumerable<TimelineEntry>> DealerEntries(HubDbContext db, Guid dealerId, int limit, CancellationToken ct)
    {
        static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var visits = await db.Set<InspectionVisit>().AsNoTracking().Where(v => v.DealerId == dealerId).OrderByDescending(v => v.VisitedOn).Take(limit).ToListAsync(ct);
        var talks = await db.Set<NegotiationRecord>().AsNoTracking().Where(n => n.DealerId == dealerId).OrderByDescending(n => n.HeldOn).Take(limit).ToListAsync(ct);
        var steps = await db.Set<AgencyContractStep>().AsNoTracking()
            .Join(db.Set<AgencyContract>().AsNoTracking().Where(c => c.DealerId == dealerId), s => s.ContractId, c => c.Id, (s, c) => new { Step = s, c.Number })
            .OrderByDescending(s => s.Step.At).Take(limit).ToListAsync(ct);
        return visits.Select(v => new TimelineEntry(Day(v.VisitedOn), "dealer-visit", v.Id.ToString(), $"Inspection visit: {v.WeightedTotal:0.##} points", $"by {v.InspectorId}"))
            .Concat(talks.Select(n => new TimelineEntry(Day(n.HeldOn), "dealer-negotiation", n.Id.ToString(), $"Negotiation: {n.Outcome}", n.Participants)))
            .Concat(steps.Select(s => new TimelineEntry(DateTime.SpecifyKind(s.Step.At, DateTimeKind.Utc), "agency-contract", s.Number,
                $"Agency contract {s.Number}: {s.Step.Step}", s.Step.Reason is null ? $"by {s.Step.Actor}" : $"by {s.Step.Actor}; {s.Step.Reason}")));
    }

    private static async Task<List<TimelineNotificationRow>> Notifications(HubDbContext db, string code, int limit, CancellationToken ct)
    {
        try
        {
            return await db.Database.SqlQuery<TimelineNotificationRow>(
                    $"SELECT \"Id\", \"Channel\", \"Template\", \"Subject\", \"State\", \"RecordedAt\" FROM notification WHERE \"CustomerCode\" = {code}")
                .OrderByDescending(n => n.RecordedAt).Take(limit).ToListAsync(ct);
        }
        // Only "the functions host has not created its table yet"; any other store error is an error.
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    /// <summary>The fields a change touched (those the caller may see).</summary>
    private static string? ChangedFields(EntityChange change, IReadOnlySet<string>? hidden)
    {
        if (change.Before is null || change.After is null)
            return null;
        var before = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(change.Before)!;
        var after = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(change.After)!;
        var changed = after.Where(a => hidden?.Contains(a.Key) != true && (!before.TryGetValue(a.Key, out var b) || b.GetRawText() != a.Value.GetRawText()))
            .Select(a => a.Key).ToList();
        return changed.Count == 0 ? null : string.Join(", ", changed);
    }
}
