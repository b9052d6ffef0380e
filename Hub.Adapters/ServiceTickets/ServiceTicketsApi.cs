using Crm.Contracts.ServiceTickets;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.ServiceTickets;

/// <summary>Body of <c>POST /api/v1/service-tickets</c>: a request or complaint taken on the phone, the web or the app.</summary>
public sealed record OpenServiceTicketRequest(
    Guid? TicketId,
    Guid? CustomerId,
    string? CustomerCode,
    Guid? ContactId,
    string? Channel,
    string? Kind,
    string? Subject,
    string? Description,
    string? ProductCode,
    Guid? ProductInstanceId,
    bool? FollowUpRequested);

/// <summary>Body of <c>…/resolve</c>: the solution given.</summary>
public sealed record ResolveServiceTicketRequest(string? Resolution);

/// <summary>Body of <c>…/dispatch</c>: the office (办事处) taking the job.</summary>
public sealed record DispatchServiceTicketRequest(string? OfficeId);

/// <summary>Body of <c>…/assign</c>: the engineer of the new field work order, and where and when they are expected.</summary>
public sealed record AssignFieldEngineerRequest(string? EngineerUserId, string? SiteAddress, DateTimeOffset? ScheduledFor);

/// <summary>Body of <c>…/follow-up</c>: the customer's satisfaction, 1 (poor) to 5 (excellent), and remarks.</summary>
public sealed record FollowUpAnswerRequest(int? Satisfaction, string? Remarks);

/// <summary>Body of <c>…/withdraw</c> and a field work order's <c>…/decline</c>.</summary>
public sealed record ReasonRequest(string? Reason);

/// <summary>Service tickets for the mobile apps: take, list (in scope), follow, and move through their lifecycle.</summary>
public static class ServiceTicketsApi
{
    /// <summary>Maps <c>/api/v1/service-tickets</c> and its alias <c>/api/service-tickets</c>.</summary>
    public static void MapServiceTicketsApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("service-tickets", "Service tickets", g =>
    {
        g.MapPost("/", Open);
        g.MapGet("/", List);
        g.MapGet("/{ticketId:guid}", Get);
        g.MapPost("/{ticketId:guid}/submit", Submit);
        g.MapPost("/{ticketId:guid}/resolve", Resolve);
        g.MapPost("/{ticketId:guid}/dispatch", Dispatch);
        g.MapPost("/{ticketId:guid}/assign", Assign);
        g.MapPost("/{ticketId:guid}/follow-up", AnswerFollowUp);
        g.MapPost("/{ticketId:guid}/withdraw", Withdraw);
    });

    /// <summary>Takes the ticket; the tickets endpoint checks every rule and answers 201 with the ticket, or the broken rules by field.</summary>
    private static Task<IResult> Open(OpenServiceTicketRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var ticketId = request.TicketId ?? ServiceTicketDesk.CommandId(http, idempotencyKey);
        var command = new OpenServiceTicket(ticketId, request.CustomerId ?? Guid.Empty, request.CustomerCode ?? "", request.ContactId,
            request.Channel ?? "Mobile", request.Kind ?? "", request.Subject ?? "", request.Description ?? "", request.ProductCode, request.ProductInstanceId,
            request.FollowUpRequested ?? false, caller.UserId, clock.GetUtcNow());
        return ServiceTicketDesk.Send(clients, http, command,
            t => TypedResults.Created($"/api/{MobileApi.Version}/service-tickets/{t.TicketId}", t), ct);
    }

    /// <summary>The tickets in the caller's scope, newest first; <c>q</c> searches number, customer code and subject.</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, string? status, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        var q = db.Set<MobileTicket>().AsNoTracking();
        var engineered = db.Set<MobileFieldWorkOrder>().Where(f => f.EngineerUserId == caller.UserId).Select(f => f.TicketId);
        var scope = caller.ScopeOf(StaffPermissions.TicketsRead);
        if (!scope.All)
        {
            var (users, offices, regions) = (scope.Users, scope.Offices, scope.Regions);
            q = q.Where(t => users.Contains(t.OpenedBy) || engineered.Contains(t.TicketId) || offices.Contains(t.OfficeId!)
                || offices.Contains(t.IntakeOffice) || regions.Contains(t.IntakeRegion));
        }
        if (!string.IsNullOrWhiteSpace(status))
            q = q.Where(t => t.Status == status);
        if (paging.Search is { } term)
            q = q.Where(t => t.TicketNumber.Contains(term) || t.CustomerCode.Contains(term) || t.Subject.Contains(term));
        return TypedResults.Ok(await paging.ToPageAsync(q.OrderByDescending(t => t.OpenedAtTicks), ct));
    }

    private static async Task<IResult> Get(Guid ticketId, IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var ticket = await ServiceTicketDesk.Find(clients, new GetServiceTicket(ticketId, null), ct);
        if (ticket is null || !await ServiceTicketDesk.MaySee(MobileCaller.From(http.User), ticket, db, ct))
            return ServiceTicketDesk.NotFound("service ticket", ticketId);
        EntityTags.Set(http, ticket.Version);
        return TypedResults.Ok(ticket);
    }

    private static Task<IResult> Submit(Guid ticketId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, IClientFactory clients,
        HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db, ServiceTicketDesk.Anyone,
            (t, id, version) => new SubmitServiceTicket(t.TicketId, id, Actor(http), version, clock.GetUtcNow()), ct);

    /// <summary>Solved on the call while the ticket is open; by the technical section once submitted.</summary>
    private static Task<IResult> Resolve(Guid ticketId, ResolveServiceTicketRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db, ServiceTicketDesk.Anyone,
            (t, id, version) => t.Status == "AwaitingReview"
                ? ServiceTicketDesk.Send(clients, http, new ResolveServiceTicketRemotely(t.TicketId, id, Actor(http), request.Resolution ?? "", version, clock.GetUtcNow()), TypedResults.Ok, ct)
                : ServiceTicketDesk.Send(clients, http, new ResolveServiceTicketOnCall(t.TicketId, id, Actor(http), request.Resolution ?? "", version, clock.GetUtcNow()), TypedResults.Ok, ct), ct);

    /// <summary>The technical review passes the ticket to an office: supervisors and managers.</summary>
    private static Task<IResult> Dispatch(Guid ticketId, DispatchServiceTicketRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db,
            (caller, _) => Task.FromResult(caller.May(StaffPermissions.TicketsDispatch) ? null
                : ServiceTicketDesk.Forbidden("Only a supervisor dispatches tickets to an office.")),
            (t, id, version) => new DispatchServiceTicket(t.TicketId, id, Actor(http), request.OfficeId ?? "", version, clock.GetUtcNow()), ct);

    /// <summary>The supervisor of the ticket's office issues a field work order to one of the office's engineers (a reassignment when one is out).</summary>
    private static Task<IResult> Assign(Guid ticketId, AssignFieldEngineerRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        MobileUser? engineer = null;
        return ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db,
            async (caller, t) =>
            {
                if (!ServiceTicketDesk.ReachesOffice(caller, StaffPermissions.TicketsAssign, t.OfficeId))
                    return ServiceTicketDesk.Forbidden("Only the supervisor of the office the ticket was dispatched to assigns its engineer.");
                var engineerId = request.EngineerUserId?.Trim() ?? "";
                engineer = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == engineerId, ct);
                var catalog = http.RequestServices.GetRequiredService<StaffRoleCatalog>();
                return engineer is not null && engineer.Office == t.OfficeId
                    && catalog.AnyCarries(await StaffAuthority.RolesOfAsync(db, engineer.UserId, ct), StaffPermissions.FieldWork)
                    ? null
                    : ServiceTicketDesk.Invalid("engineerUserId", $"must be an engineer of office {t.OfficeId}");
            },
            (t, id, version) => new AssignFieldEngineer(t.TicketId, id, Actor(http), id, engineer!.UserId, engineer.DisplayName,
                request.SiteAddress, request.ScheduledFor, version, clock.GetUtcNow()), ct);
    }

    private static Task<IResult> AnswerFollowUp(Guid ticketId, FollowUpAnswerRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db, ServiceTicketDesk.Anyone,
            (t, id, version) => new RecordFollowUpAnswer(t.TicketId, id, Actor(http), request.Satisfaction ?? 0, request.Remarks, version, clock.GetUtcNow()), ct);

    private static Task<IResult> Withdraw(Guid ticketId, ReasonRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ServiceTicketDesk.Act(http, new GetServiceTicket(ticketId, null), idempotencyKey, clients, db, ServiceTicketDesk.Anyone,
            (t, id, version) => new WithdrawServiceTicket(t.TicketId, id, Actor(http), request.Reason ?? "", version, clock.GetUtcNow()), ct);

    private static string Actor(HttpContext http) => MobileCaller.From(http.User).UserId;
}
