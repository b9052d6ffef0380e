using Crm.Contracts.ServiceTickets;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.ServiceTickets;

/// <summary>Body of <c>…/parts-needed</c>: <c>ReplacementParts</c> (更换配件) or <c>ReturnToFactory</c> (返司维修), and what is needed.</summary>
public sealed record PartsNeededRequest(string? Need, string? Note);

/// <summary>Body of <c>…/complete</c>: <c>RepairedOnSite</c>, <c>PartsReplaced</c> or <c>RepairedAtFactory</c>, the report, and the parts fitted.</summary>
public sealed record CompleteFieldWorkOrderRequest(string? Outcome, string? Report, IReadOnlyList<FieldWorkPart>? PartsUsed);

/// <summary>A field work order with the ticket it serves.</summary>
public sealed record FieldWorkOrderView(FieldWorkOrderSummary FieldWorkOrder, ServiceTicketDetails Ticket);

/// <summary>Field work orders (派工单) for the engineers' and supervisors' phones: list, read, accept or decline, report, complete.</summary>
public static class FieldWorkOrdersApi
{
    /// <summary>Maps <c>/api/v1/field-work-orders</c> and its alias <c>/api/field-work-orders</c>.</summary>
    public static void MapFieldWorkOrdersApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("field-work-orders", "Field work orders", g =>
    {
        g.MapGet("/", List);
        g.MapGet("/{fieldWorkOrderId:guid}", Get);
        g.MapPost("/{fieldWorkOrderId:guid}/accept", Accept);
        g.MapPost("/{fieldWorkOrderId:guid}/decline", Decline);
        g.MapPost("/{fieldWorkOrderId:guid}/parts-needed", PartsNeeded);
        g.MapPost("/{fieldWorkOrderId:guid}/complete", Complete);
    });

    /// <summary>An engineer's own field work orders, a supervisor's office's, newest first; <c>q</c> searches numbers and customer code.</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, string? status, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        var q = db.Set<MobileFieldWorkOrder>().AsNoTracking();
        var scope = caller.ScopeOf(StaffPermissions.TicketsRead);
        if (!scope.All)
        {
            var offices = scope.Offices;
            q = q.Where(f => f.EngineerUserId == caller.UserId || offices.Contains(f.OfficeId));
        }
        if (!string.IsNullOrWhiteSpace(status))
            q = q.Where(f => f.Status == status);
        if (paging.Search is { } term)
            q = q.Where(f => f.Number.Contains(term) || f.TicketNumber.Contains(term) || f.CustomerCode.Contains(term));
        return TypedResults.Ok(await paging.ToPageAsync(q.OrderByDescending(f => f.IssuedAtTicks), ct));
    }

    private static async Task<IResult> Get(Guid fieldWorkOrderId, IClientFactory clients, HttpContext http, CancellationToken ct)
    {
        var ticket = await ServiceTicketDesk.Find(clients, new GetServiceTicket(null, null, fieldWorkOrderId), ct);
        var order = ticket?.FieldWorkOrders.FirstOrDefault(f => f.FieldWorkOrderId == fieldWorkOrderId);
        if (order is null || !ServiceTicketDesk.MaySee(MobileCaller.From(http.User), order))
            return ServiceTicketDesk.NotFound("field work order", fieldWorkOrderId);
        EntityTags.Set(http, ticket!.Version);
        return TypedResults.Ok(new FieldWorkOrderView(order, ticket));
    }

    private static Task<IResult> Accept(Guid fieldWorkOrderId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, IClientFactory clients,
        HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, Query(fieldWorkOrderId), idempotencyKey, clients, db, Current(fieldWorkOrderId),
            (t, id, version) => new AcceptFieldWorkOrder(t.TicketId, id, Actor(http), version, clock.GetUtcNow()), ct);

    private static Task<IResult> Decline(Guid fieldWorkOrderId, ReasonRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, Query(fieldWorkOrderId), idempotencyKey, clients, db, Current(fieldWorkOrderId),
            (t, id, version) => new DeclineFieldWorkOrder(t.TicketId, id, Actor(http), request.Reason ?? "", version, clock.GetUtcNow()), ct);

    private static Task<IResult> PartsNeeded(Guid fieldWorkOrderId, PartsNeededRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, Query(fieldWorkOrderId), idempotencyKey, clients, db, Current(fieldWorkOrderId),
            (t, id, version) => new ReportPartsNeeded(t.TicketId, id, Actor(http), request.Need ?? "", request.Note ?? "", version, clock.GetUtcNow()), ct);

    private static Task<IResult> Complete(Guid fieldWorkOrderId, CompleteFieldWorkOrderRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, Query(fieldWorkOrderId), idempotencyKey, clients, db, Current(fieldWorkOrderId),
            (t, id, version) => new CompleteFieldWorkOrder(t.TicketId, id, Actor(http), request.Outcome ?? "", request.Report ?? "", request.PartsUsed ?? [],
                version, clock.GetUtcNow()), ct);

    private static GetServiceTicket Query(Guid fieldWorkOrderId) => new(null, null, fieldWorkOrderId);

    /// <summary>Steps on a field work order act on the ticket's current one: a closed (declined, reassigned, done) order is not the job any more.</summary>
    private static Func<MobileCaller, ServiceTicketDetails, Task<IResult?>> Current(Guid fieldWorkOrderId) => (_, ticket) =>
    {
        var order = ticket.FieldWorkOrders.First(f => f.FieldWorkOrderId == fieldWorkOrderId);
        return Task.FromResult<IResult?>(order.Status is "Issued" or "Accepted"
            ? null
            : ServiceTicketDesk.Invalid("status", $"field work order {order.Number} is {order.Status}; the job is no longer on it"));
    };

    private static string Actor(HttpContext http) => MobileCaller.From(http.User).UserId;
}
