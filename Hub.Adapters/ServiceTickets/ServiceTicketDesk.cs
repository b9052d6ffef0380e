using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.ServiceTickets;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.ServiceTickets;

/// <summary>
/// What the service ticket and field work order APIs share: asking the tickets endpoint (request/response, so a broken rule
/// comes back to the phone as a field error), the data scope, and the step every action takes: find, scope (404 outside it),
/// role (403), <c>If-Match</c> (428/412), command.
/// </summary>
internal static class ServiceTicketDesk
{
    private static readonly Uri Tickets = HubQueues.Address(HubQueues.ServiceTickets);

    /// <summary>The ticket as the tickets endpoint has it now, or null.</summary>
    public static async Task<ServiceTicketDetails?> Find(IClientFactory clients, GetServiceTicket query, CancellationToken ct)
    {
        var response = await clients.CreateRequestClient<GetServiceTicket>(Tickets).GetResponse<ServiceTicketDetails, ServiceTicketNotFound>(query, ct);
        return response.Is(out Response<ServiceTicketDetails>? found) ? found!.Message : null;
    }

    /// <summary>
    /// Data scope (数据范围授权): the representative who took the ticket, an engineer who has or had a field work order on it,
    /// the supervisor of the office it was dispatched to, and whoever may see the representative's own records.
    /// </summary>
    public static async Task<bool> MaySee(MobileCaller caller, ServiceTicketDetails ticket, HubDbContext db, CancellationToken ct)
    {
        if (ticket.FieldWorkOrders.Any(f => f.EngineerUserId == caller.UserId)
            || caller.May(StaffPermissions.TicketsRead, ticket.OpenedBy, null, null)
            || ReachesOffice(caller, StaffPermissions.TicketsRead, ticket.OfficeId))
            return true;
        var opener = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == ticket.OpenedBy, ct);
        return opener is not null && caller.May(StaffPermissions.TicketsRead, opener.UserId, opener.Office, opener.Region);
    }

    /// <summary>A field work order is the engineer's it was issued to, and its office supervisor's.</summary>
    public static bool MaySee(MobileCaller caller, FieldWorkOrderSummary order) =>
        order.EngineerUserId == caller.UserId || ReachesOffice(caller, StaffPermissions.TicketsRead, order.OfficeId);

    /// <summary>Whether <paramref name="permission"/> reaches the work of service office <paramref name="officeId"/> (an office grant of it, or all).</summary>
    public static bool ReachesOffice(MobileCaller caller, string permission, string? officeId) =>
        caller.Grants.Any(g => g.Permission == permission
            && (g.Scope == DataScope.All || (g.Scope == DataScope.Office && g.AnchorOffice.Length > 0 && g.AnchorOffice == officeId)));

    /// <summary>The same user, action and <c>Idempotency-Key</c> always name the same command, so a retry the replay store forgot is still taken once.</summary>
    public static Guid CommandId(HttpContext http, string? idempotencyKey)
    {
        var caller = MobileCaller.From(http.User);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"crm-service-ticket:{caller.UserId}:{MobileApi.Canonical(http.Request.Path)}:{idempotencyKey?.Trim()}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>Answers a missing ticket and one outside the caller's scope alike: its existence is not disclosed.</summary>
    public static IResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"{char.ToUpperInvariant(what[0])}{what[1..]} {id} does not exist.");

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Your role does not allow this.", detail: detail);

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request breaks a business rule.");

    /// <summary>Sends <paramref name="command"/> to the tickets endpoint and turns its answer into HTTP, with the ticket's new ETag.</summary>
    public static async Task<IResult> Send<T>(IClientFactory clients, HttpContext http, T command, Func<ServiceTicketDetails, IResult> ok, CancellationToken ct)
        where T : class
    {
        var response = await clients.CreateRequestClient<T>(Tickets)
            .GetResponse<ServiceTicketDetails, ServiceTicketCommandRejected, ServiceTicketNotFound>(command, ct);
        if (response.Is(out Response<ServiceTicketDetails>? done))
        {
            EntityTags.Set(http, done!.Message.Version);
            return ok(done.Message);
        }
        if (response.Is(out Response<ServiceTicketCommandRejected>? rejected))
        {
            var refusal = rejected!.Message;
            if (!refusal.Conflict)
                return TypedResults.ValidationProblem(refusal.Errors.ToDictionary(e => e.Key, e => e.Value), title: "The request breaks a business rule.");
            EntityTags.Set(http, refusal.CurrentVersion);
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else.",
                detail: $"It is now at version {EntityTags.Of(refusal.CurrentVersion)}; fetch it again and retry with the new ETag.");
        }
        return NotFound("service ticket", (command as IServiceTicketCommand)?.TicketId ?? Guid.Empty);
    }

    /// <summary>
    /// One step on a ticket the caller sees: <paramref name="refuse"/> may refuse it for the caller's role; the <c>If-Match</c>
    /// must name the version acted on; <paramref name="command"/> builds the command from the ticket, the command id and that version.
    /// </summary>
    public static Task<IResult> Act<T>(HttpContext http, GetServiceTicket query, string? idempotencyKey, IClientFactory clients, HubDbContext db,
        Func<MobileCaller, ServiceTicketDetails, Task<IResult?>> refuse, Func<ServiceTicketDetails, Guid, long, T> command, CancellationToken ct)
        where T : class =>
        Act(http, query, idempotencyKey, clients, db, refuse, (ticket, id, version) => Send(clients, http, command(ticket, id, version), TypedResults.Ok, ct), ct);

    /// <summary>As <see cref="Act{T}"/>, for a step whose command depends on where the ticket stands.</summary>
    public static async Task<IResult> Act(HttpContext http, GetServiceTicket query, string? idempotencyKey, IClientFactory clients, HubDbContext db,
        Func<MobileCaller, ServiceTicketDetails, Task<IResult?>> refuse, Func<ServiceTicketDetails, Guid, long, Task<IResult>> step, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var ticket = await Find(clients, query, ct);
        var what = query.FieldWorkOrderId is null ? "service ticket" : "field work order";
        var id = query.FieldWorkOrderId ?? query.TicketId ?? Guid.Empty;
        if (ticket is null)
            return NotFound(what, id);
        var visible = query.FieldWorkOrderId is { } orderId
            ? ticket.FieldWorkOrders.Any(f => f.FieldWorkOrderId == orderId && MaySee(caller, f))
            : await MaySee(caller, ticket, db, ct);
        if (!visible)
            return NotFound(what, id);
        if (await refuse(caller, ticket) is { } refusal)
            return refusal;
        if (EntityTags.CheckIfMatch(http, ticket.Version) is { } precondition)
            return precondition;
        return await step(ticket, CommandId(http, idempotencyKey), ticket.Version);
    }

    /// <summary>No refusal: the domain decides who may take the step.</summary>
    public static Task<IResult?> Anyone(MobileCaller caller, ServiceTicketDetails ticket) => Task.FromResult<IResult?>(null);
}
