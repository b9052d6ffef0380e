using Hub.Infrastructure;
using Crm.Contracts.ServiceTickets;
using Crm.Domain.ServiceTickets;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>Between the stored <see cref="ServiceTicket"/> and the wire.</summary>
internal static class ServiceTicketMapping
{
    /// <summary>The ticket with its field work orders (in the order issued) and its follow-up visit (one per ticket), tracked for a change.</summary>
    public static Task<ServiceTicket?> Load(HubDbContext db, Guid ticketId, CancellationToken ct) =>
        db.Set<ServiceTicket>()
            .Include(t => t.FieldWorkOrders.OrderBy(f => f.Sequence))
            .Include(t => t.FollowUpVisits)
            .AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == ticketId, ct);

    public static T Shadow<T>(this HubDbContext db, ServiceTicket ticket, string column) => db.Entry(ticket).Property<T>(column).CurrentValue;

    public static ServiceTicketDetails ToDetails(this HubDbContext db, ServiceTicket t) => new(
        t.Id, t.Number, t.CustomerId, db.Shadow<string>(t, ServiceTicketsStoreModel.CustomerCode), db.Shadow<Guid?>(t, ServiceTicketsStoreModel.ContactId),
        t.Channel.ToString(), t.Kind.ToString(), t.Subject, t.Description, t.ProductCode, t.ProductInstanceId, t.OpenedBy, t.OpenedAt,
        t.Status, t.StatusChangedAt, t.OfficeId, t.Resolution, db.Shadow<bool>(t, ServiceTicketsStoreModel.FollowUpWanted),
        db.Shadow<long>(t, ServiceTicketsStoreModel.Version),
        t.FieldWorkOrders.OrderBy(f => f.Sequence).Select(ToSummary).ToArray(),
        t.FollowUpVisits.Select(ToSummary).ToArray(),
        t.History.Select(h => new ServiceTicketStep(h.From, h.To, h.Trigger, h.At, h.Actor, h.Reason, h.MessageId)).ToArray());

    /// <summary>The event of the step just taken (the last history entry).</summary>
    public static ServiceTicketStatusChanged ToStatusChanged(this HubDbContext db, ServiceTicket t)
    {
        var step = t.History[^1];
        return new ServiceTicketStatusChanged(t.Id, t.Number, t.History.Count, step.From, step.To, step.Trigger, step.Reason, step.Actor,
            db.Shadow<string>(t, ServiceTicketsStoreModel.CustomerCode), t.Kind.ToString(), t.Subject, t.OpenedBy, t.OfficeId,
            db.Shadow<bool>(t, ServiceTicketsStoreModel.FollowUpWanted), db.Shadow<long>(t, ServiceTicketsStoreModel.Version),
            t.FieldWorkOrders.OrderBy(f => f.Sequence).Select(ToSummary).ToArray(),
            t.FollowUpVisits.LastOrDefault() is { } visit ? ToSummary(visit) : null, step.At);
    }

    public static FieldWorkOrderSummary ToSummary(FieldWorkOrder f) => new(f.Id, f.Number, f.Sequence, f.OfficeId, f.EngineerId, f.IssuedBy, f.IssuedAt,
        f.Status.ToString(), f.AcceptedAt, f.ClosedAt, f.Outcome?.ToString(), f.PartsNeed?.ToString(), f.Report,
        f.PartsUsed.Select(p => new FieldWorkPart(p.PartCode, p.Quantity)).ToArray());

    private static FollowUpVisitSummary ToSummary(FollowUpVisit v) =>
        new(v.Id, v.AssignedTo, v.DueAt, v.Attempts, v.Status.ToString(), v.Satisfaction, v.Remarks);
}
