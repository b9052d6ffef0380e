using Microsoft.Extensions.Configuration;
using Hub.Infrastructure.Access;
using Hub.Adapters.Orders;
using Crm.Domain.Orders;
using Crm.Domain;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Crm.Domain.ServiceTickets;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Adapters.ServiceTickets;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Schedule;

/// <summary>
/// Something the signed-in user has to do (003 §5.3 待办任务), derived from the business record it comes from, never typed in:
/// <paramref name="Kind"/> says what (e.g. <c>field-work-order</c>), <paramref name="Link"/> is the resource to act on, and
/// <paramref name="DueAt"/> comes from the record's deadline (null when it has none).
/// </summary>
public sealed record UserTask(string Kind, string Reference, string Title, string Status, string Link, DateTimeOffset? DueAt);

/// <summary>
/// One source of a user's tasks. Each capability that gives people work contributes one (field work orders, follow-up visits, tickets
/// to review and dispatch, order and agency contract approvals; dealer inspection visits can join): register it as a scoped
/// <see cref="IUserTaskSource"/> and <c>/api/v1/me/tasks</c> lists its tasks with the others.
/// </summary>
public interface IUserTaskSource
{
    /// <summary>The open tasks of <paramref name="caller"/> from this source, at most <see cref="UserTasksApi.MaxPerSource"/>.</summary>
    Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct);
}

/// <summary>
/// A lifecycle's deadlines (时限) as its saga has them configured (<c>&lt;section&gt;:&lt;state&gt;</c> over the domain's
/// defaults): a task's due time is when its record's current state runs out.
/// </summary>
public abstract class LifecycleDeadlines(IConfiguration configuration, string section, DeadlinePolicy defaults)
{
    private readonly DeadlinePolicy _policy = configuration.GetSection(section).GetChildren()
        .Aggregate(defaults, (policy, s) => TimeSpan.TryParse(s.Value, out var within) ? policy.With(s.Key, within) : policy);

    /// <summary>When a record that entered <paramref name="status"/> at <paramref name="sinceTicks"/> (UTC) is due, or null.</summary>
    public DateTimeOffset? DueAt(string status, long sinceTicks) =>
        _policy.Within.TryGetValue(status, out var within) ? new DateTimeOffset(sinceTicks, TimeSpan.Zero) + within : null;
}

/// <summary>The service ticket deadlines (<c>ServiceTickets:Lifecycle:Deadlines:&lt;state&gt;</c>).</summary>
public sealed class ServiceTicketDeadlines(IConfiguration configuration)
    : LifecycleDeadlines(configuration, "ServiceTickets:Lifecycle:Deadlines", ServiceTicketLifecycle.DefaultDeadlines());

/// <summary>The order deadlines (<c>Orders:Lifecycle:Deadlines:&lt;state&gt;</c>).</summary>
public sealed class OrderDeadlines(IConfiguration configuration)
    : LifecycleDeadlines(configuration, "Orders:Lifecycle:Deadlines", OrderLifecycle.DefaultDeadlines());

/// <summary>
/// Orders waiting in a state for someone other than their owner (approval, audit): owned by staff whose records the caller's
/// <c>permission</c> reaches (their own or delegated to them), never the caller's own, oldest first.
/// </summary>
public abstract class WaitingOrderTasks(HubDbContext db, OrderDeadlines deadlines, string kind, string status, string permission) : IUserTaskSource
{
    public async Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct)
    {
        var scope = caller.ScopeOf(permission);
        if (scope.None)
            return [];
        var waiting = db.Set<MobileOrder>().AsNoTracking().Where(o => o.Status == status && o.OwnerUserId != caller.UserId);
        if (!scope.All)
            waiting = waiting.Where(o => scope.Users.Contains(o.OwnerUserId) || scope.Offices.Contains(o.OwnerOffice) || scope.Regions.Contains(o.OwnerRegion));
        var rows = await waiting.OrderBy(o => o.StatusAtTicks).Take(UserTasksApi.MaxPerSource).ToListAsync(ct);
        return rows.Where(o => Decides(caller, o))
            .Select(o => new UserTask(kind, o.OrderNumber, $"{o.CustomerCode}: {o.TotalAmount:0.00} ({o.OwnerUserId})", o.Status,
                $"/api/{MobileApi.Version}/orders/{o.OrderId}", deadlines.DueAt(o.Status, o.StatusAtTicks))).ToList();
    }

    /// <summary>Whether the caller takes this order's step; the query only narrows the read by the permission's scope.</summary>
    protected virtual bool Decides(MobileCaller caller, MobileOrder order) => true;
}

/// <summary>
/// Orders waiting for the caller's approval (审批, 003 §3.4.1): above the threshold, owned by staff whose records the caller's
/// <c>orders.approve</c> reaches (their own or delegated to them), never the caller's own orders.
/// </summary>
public sealed class OrderApprovalTasks(HubDbContext db, OrderDeadlines deadlines)
    : WaitingOrderTasks(db, deadlines, "order-approval", OrderStatus.AwaitingApproval, StaffPermissions.OrdersApprove)
{
    /// <summary>The one rule of who approves decides each row.</summary>
    protected override bool Decides(MobileCaller caller, MobileOrder order) => caller.MayApproveOrderOf(order.OwnerUserId, order.OwnerRegion);
}

/// <summary>
/// Orders waiting for the caller's audit (稽核, the manual audit step <c>Orders:Audit:Manual</c>): in Auditing, owned by staff whose
/// records the caller's <c>orders.audit</c> reaches, never the caller's own. With the automatic audit no order waits there.
/// </summary>
public sealed class OrderAuditTasks(HubDbContext db, OrderDeadlines deadlines)
    : WaitingOrderTasks(db, deadlines, "order-audit", OrderStatus.Auditing, StaffPermissions.OrdersAudit);

/// <summary>
/// Agency contracts waiting for the caller's decision (代理审核, 003 §3.2): submitted, of dealers of a region the caller's
/// <c>contracts.approve</c> reaches (their own or delegated to them while the delegation is in force), not submitted by the caller.
/// </summary>
public sealed class AgencyContractApprovalTasks(HubDbContext db) : IUserTaskSource
{
    public async Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct)
    {
        var scope = caller.ScopeOf(StaffPermissions.ContractsApprove);
        if (scope.None)
            return [];
        var waiting = from c in db.Set<AgencyContract>().AsNoTracking()
                      join d in db.Set<Customer>().AsNoTracking() on c.DealerId equals d.Id
                      where c.Status == AgencyContractStatus.Submitted && c.SubmittedBy != caller.UserId && d.Region != null
                      select new { c.Id, c.Number, c.DealerId, c.Territory, d.Code, d.Region };
        if (!scope.All)
            waiting = waiting.Where(r => scope.Regions.Contains(r.Region!));
        var rows = await waiting.OrderBy(r => r.Number).Take(UserTasksApi.MaxPerSource).ToListAsync(ct);
        // The one rule of who decides a contract narrows each row; the query above only narrows the read.
        return rows.Where(r => caller.MayDecideContractOf(r.Region))
            .Select(r => new UserTask("agency-contract-approval", r.Number, $"{r.Code}: {r.Territory}", nameof(AgencyContractStatus.Submitted),
                $"/api/{MobileApi.Version}/dealers/{r.DealerId}/contracts/{r.Id}", null)).ToList();
    }
}

/// <summary>Field work orders (派工单) issued to the engineer and not done yet: accept or decline, then complete.</summary>
public sealed class FieldWorkOrderTasks(HubDbContext db, ServiceTicketDeadlines deadlines) : IUserTaskSource
{
    public async Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct)
    {
        var open = new[] { nameof(FieldWorkOrderStatus.Issued), nameof(FieldWorkOrderStatus.Accepted) };
        var rows = await (from f in db.Set<MobileFieldWorkOrder>().AsNoTracking()
                          join t in db.Set<MobileTicket>().AsNoTracking() on f.TicketId equals t.TicketId
                          where f.EngineerUserId == caller.UserId && open.Contains(f.Status)
                          orderby f.IssuedAtTicks
                          select new { f.FieldWorkOrderId, f.Number, f.Subject, f.CustomerCode, f.Status, TicketStatus = t.Status, t.StatusAtTicks })
            .Take(UserTasksApi.MaxPerSource).ToListAsync(ct);
        return rows.Select(r => new UserTask("field-work-order", r.Number, $"{r.CustomerCode}: {r.Subject}", r.Status,
            $"/api/{MobileApi.Version}/field-work-orders/{r.FieldWorkOrderId}", deadlines.DueAt(r.TicketStatus, r.StatusAtTicks))).ToList();
    }
}

/// <summary>Follow-up visits (回访) due: tickets in FollowingUp, for the representative who took them (who holds the follow-up).</summary>
public sealed class FollowUpVisitTasks(HubDbContext db, ServiceTicketDeadlines deadlines) : IUserTaskSource
{
    public async Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct)
    {
        var rows = await db.Set<MobileTicket>().AsNoTracking()
            .Where(t => t.OpenedBy == caller.UserId && t.Status == ServiceTicketStatus.FollowingUp)
            .OrderBy(t => t.StatusAtTicks).Take(UserTasksApi.MaxPerSource).ToListAsync(ct);
        return rows.Select(t => new UserTask("follow-up-visit", t.TicketNumber, $"{t.CustomerCode}: {t.Subject}", t.Status,
            $"/api/{MobileApi.Version}/service-tickets/{t.TicketId}", deadlines.DueAt(t.Status, t.StatusAtTicks))).ToList();
    }
}

/// <summary>
/// For an office supervisor: tickets of their office waiting for them: submitted for review by the office's representatives
/// (AwaitingReview) and dispatched to the office for an engineer (Dispatched).
/// </summary>
public sealed class TicketDispatchTasks(HubDbContext db, ServiceTicketDeadlines deadlines) : IUserTaskSource
{
    public async Task<IReadOnlyList<UserTask>> TasksOf(MobileCaller caller, CancellationToken ct)
    {
        if (caller.Role != MobileRoles.OfficeSupervisor || caller.Office.Length == 0)
            return [];
        var office = caller.Office;
        var rows = await db.Set<MobileTicket>().AsNoTracking()
            .Where(t => (t.Status == ServiceTicketStatus.AwaitingReview && t.IntakeOffice == office)
                        || (t.Status == ServiceTicketStatus.Dispatched && t.OfficeId == office))
            .OrderBy(t => t.StatusAtTicks).Take(UserTasksApi.MaxPerSource).ToListAsync(ct);
        return rows.Select(t => new UserTask(t.Status == ServiceTicketStatus.Dispatched ? "ticket-to-assign" : "ticket-to-review", t.TicketNumber,
            $"{t.CustomerCode}: {t.Subject}", t.Status, $"/api/{MobileApi.Version}/service-tickets/{t.TicketId}", deadlines.DueAt(t.Status, t.StatusAtTicks))).ToList();
    }
}

/// <summary><c>GET /api/v1/me/tasks</c>: the signed-in user's tasks from every <see cref="IUserTaskSource"/>, soonest due first.</summary>
public static class UserTasksApi
{
    /// <summary>Most tasks one source contributes to a list.</summary>
    public const int MaxPerSource = 200;

    /// <summary>Registers the task sources of this host.</summary>
    public static IServiceCollection AddUserTasks(this IServiceCollection services) => services
        .AddSingleton<ServiceTicketDeadlines>()
        .AddSingleton<OrderDeadlines>()
        .AddScoped<IUserTaskSource, OrderApprovalTasks>()
        .AddScoped<IUserTaskSource, OrderAuditTasks>()
        .AddScoped<IUserTaskSource, AgencyContractApprovalTasks>()
        .AddScoped<IUserTaskSource, FieldWorkOrderTasks>()
        .AddScoped<IUserTaskSource, FollowUpVisitTasks>()
        .AddScoped<IUserTaskSource, TicketDispatchTasks>();

    /// <summary>Maps the tasks route.</summary>
    public static void MapUserTasksApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("me/tasks", "Tasks", g => g.MapGet("/", List));

    /// <summary>Tasks by due time (those without one last), filtered by <paramref name="kind"/> and <c>q</c> (reference or title).</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, string? kind, IEnumerable<IUserTaskSource> sources, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        var tasks = new List<UserTask>();
        foreach (var source in sources)   // one DbContext per request: the sources run one after the other
            tasks.AddRange(await source.TasksOf(caller, ct));
        var selected = tasks
            .Where(t => kind is null || t.Kind == kind)
            .Where(t => paging.Search is not { } term || t.Reference.Contains(term, StringComparison.OrdinalIgnoreCase) || t.Title.Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.DueAt is null).ThenBy(t => t.DueAt).ThenBy(t => t.Reference, StringComparer.Ordinal).ToList();
        var (page, size) = (paging.Page ?? 1, paging.PageSize ?? 20);
        return TypedResults.Ok(new Page<UserTask>(selected.Skip((page - 1) * size).Take(size).ToList(), page, size, selected.Count));
    }
}
