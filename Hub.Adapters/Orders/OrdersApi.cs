using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Orders;

/// <summary>Body of <c>POST /api/v1/orders</c>. The owner defaults to the signed-in user.</summary>
public sealed record PlaceOrderRequest(
    Guid? OrderId,
    string? CustomerCode,
    string? OwnerUserId,
    string? ContactEmail,
    IReadOnlyList<OrderLine>? Lines);

/// <summary>Answer to an accepted order: where to follow it.</summary>
public sealed record OrderAccepted(Guid OrderId, string OrderNumber, string Status);

/// <summary>Body of <c>…/reject</c> and <c>…/cancel</c>: why.</summary>
public sealed record OrderReasonRequest(string? Reason);

/// <summary>Body of <c>POST /api/v1/orders/{id}/audit</c>: pass (<c>passed: true</c>) or refuse with a reason.</summary>
public sealed record OrderAuditRequest(bool? Passed, string? Reason);

/// <summary>Body of <c>PUT …/payment-plan</c>: the instalments agreed with the customer, numbered from 1.</summary>
public sealed record PaymentPlanRequest(IReadOnlyList<PaymentInstalmentRequest?>? Instalments);

/// <summary>One instalment of <see cref="PaymentPlanRequest"/>.</summary>
public sealed record PaymentInstalmentRequest(int? Sequence, DateOnly? DueOn, decimal? Amount);

/// <summary>
/// Orders for the mobile apps: place, list (own or in scope), follow, approve or reject, cancel, agree a payment plan, resend a
/// completion ERP refused, and their history.
/// </summary>
public static class OrdersApi
{
    /// <summary>Maps <c>/api/v1/orders</c> and its alias <c>/api/orders</c>.</summary>
    public static void MapOrdersApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("orders", "Orders", g =>
    {
        g.MapPost("/", PlaceOrder);
        g.MapGet("/", ListOrders);
        g.MapGet("/{orderId:guid}", GetOrder);
        g.MapGet("/{orderId:guid}/history", GetHistory);
        g.MapPost("/{orderId:guid}/approve", Approve);
        g.MapPost("/{orderId:guid}/reject", Reject);
        g.MapPost("/{orderId:guid}/cancel", Cancel);
        g.MapPut("/{orderId:guid}/payment-plan", PlanPayments);
        g.MapPost("/{orderId:guid}/completion/resend", ResendCompletion);
        g.MapPost("/{orderId:guid}/audit", Audit);
    });

    private static readonly Uri OrderSaga = HubQueues.Address(HubQueues.OrderSaga);

    /// <summary>
    /// Checks the order against the domain's rules here, so a bad order is refused at once and
    /// nothing is sent; a good one is sent to the orders endpoint and answered 202.
    /// </summary>
    private static async Task<Results<Accepted<OrderAccepted>, ProblemHttpResult>> PlaceOrder(PlaceOrderRequest request,
        [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, ISendEndpointProvider send, TimeProvider clock, HubDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var owner = string.IsNullOrWhiteSpace(request.OwnerUserId) ? caller.UserId : request.OwnerUserId.Trim();
        if (!await StaffScope.CoversAsync(caller, StaffPermissions.OrdersPlace, owner, db, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may only place orders for yourself or for staff you supervise.");

        var orderId = request.OrderId ?? (string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid() : OrderIdFor(idempotencyKey));
        var lines = request.Lines ?? [];
        var now = clock.GetUtcNow();
        var order = Order.Place(orderId, request.CustomerCode ?? "", owner,
            lines.Select(l => new OrderItem(l.ProductCode, l.SpecModel, l.Quantity, l.UnitPrice, l.Discount)).ToArray(),
            request.ContactEmail, "mobile", now);

        var endpoint = await send.GetSendEndpoint(HubQueues.Address(HubQueues.Orders));
        await endpoint.Send(new PlaceOrder(order.Id, order.CustomerCode, order.OwnerUserId, lines, order.ContactEmail, order.Channel, now), ct);
        return TypedResults.Accepted($"/api/{MobileApi.Version}/orders/{order.Id}", new OrderAccepted(order.Id, order.Number, "Accepted"));
    }

    /// <summary>The caller's orders (a supervisor's: their office's; a manager's: their region's), newest first.</summary>
    private static async Task<Results<Ok<Page<MobileOrder>>, ProblemHttpResult, ValidationProblem>> ListOrders([AsParameters] PageRequest paging,
        string? status, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is ValidationProblem invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        var q = db.Set<MobileOrder>().AsNoTracking();
        var scope = caller.ScopeOf(StaffPermissions.OrdersRead);
        if (!scope.All)
        {
            var (users, offices, regions) = (scope.Users, scope.Offices, scope.Regions);
            q = q.Where(o => users.Contains(o.OwnerUserId) || offices.Contains(o.OwnerOffice) || regions.Contains(o.OwnerRegion));
        }
        if (!string.IsNullOrWhiteSpace(status))
            q = q.Where(o => o.Status == status);
        if (paging.Search is { } term)
            q = q.Where(o => o.OrderNumber.Contains(term) || o.CustomerCode.Contains(term));
        return TypedResults.Ok(await paging.ToPageAsync(q.OrderByDescending(o => o.PlacedAtTicks), ct));
    }

    /// <summary>The order with its work orders, product instances and history; its ETag is the version the step routes expect in <c>If-Match</c>.</summary>
    private static async Task<Results<Ok<OrderDetails>, ProblemHttpResult>> GetOrder(Guid orderId, IRequestClient<GetOrder> orders, HubDbContext db,
        HttpContext http, CancellationToken ct)
    {
        if (await FindVisible(orderId, orders, db, http, ct) is not { } order)
            return NotFound(orderId);
        EntityTags.Set(http, order.Version);
        return TypedResults.Ok(order);
    }

    /// <summary>Every step the order took, oldest first: from and to which state, by what step, when, who or what, why, on which message.</summary>
    private static async Task<Results<Ok<IReadOnlyList<OrderHistoryEntry>>, ProblemHttpResult>> GetHistory(Guid orderId, IRequestClient<GetOrder> orders,
        HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await FindVisible(orderId, orders, db, http, ct) is not { } order)
            return NotFound(orderId);
        EntityTags.Set(http, order.Version);
        return TypedResults.Ok(order.History ?? []);
    }

    /// <summary>A manager of the owner's region approves an order waiting for approval; fulfilment starts.</summary>
    private static Task<IResult> Approve(Guid orderId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, IRequestClient<GetOrder> orders,
        IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Decide(orderId, idempotencyKey, orders, clients, db, http, approving: true,
            (order, commandId, caller) => new ApproveOrder(order.OrderId, commandId, caller.UserId, order.Version, clock.GetUtcNow()), ct);

    /// <summary>A manager of the owner's region refuses an order waiting for approval, saying why.</summary>
    private static Task<IResult> Reject(Guid orderId, OrderReasonRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<GetOrder> orders, IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Decide(orderId, idempotencyKey, orders, clients, db, http, approving: true,
            (order, commandId, caller) => new RejectOrder(order.OrderId, commandId, caller.UserId, request.Reason ?? "", order.Version, clock.GetUtcNow()), ct);

    /// <summary>The customer cancels, through whoever may act on the order; charges are reversed and resources released first if fulfilment began.</summary>
    private static Task<IResult> Cancel(Guid orderId, OrderReasonRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<GetOrder> orders, IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Decide(orderId, idempotencyKey, orders, clients, db, http, approving: false,
            (order, commandId, caller) => new CancelOrder(order.OrderId, commandId, caller.UserId, request.Reason ?? "", order.Version, clock.GetUtcNow()), ct);

    /// <summary>
    /// The salesperson (or whoever may place orders for them) agrees a payment plan with the customer; the order checks it adds up
    /// to its total, and the reminders follow it.
    /// </summary>
    private static async Task<IResult> PlanPayments(Guid orderId, PaymentPlanRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<GetOrder> orders, IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var items = request.Instalments ?? [];
        if (items.Count == 0)
            errors["instalments"] = ["at least one instalment is required."];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { Sequence: not null, DueOn: not null, Amount: not null })
                errors[$"instalments[{i}]"] = ["sequence, dueOn and amount are required."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The payment plan is invalid.");
        var instalments = items.Select(i => new Crm.Contracts.Notifications.PaymentInstalment(i!.Sequence!.Value, i.DueOn!.Value, i.Amount!.Value)).ToArray();
        return await Decide(orderId, idempotencyKey, orders, clients, db, http, approving: false,
            (order, commandId, caller) => new PlanOrderPayments(order.OrderId, commandId, caller.UserId, instalments, order.Version, clock.GetUtcNow()), ct,
            permission: StaffPermissions.OrdersPlace);
    }

    /// <summary>
    /// After ERP refused the completion report and the cause was put right in ERP, a manager of the owner's region (orders.approve)
    /// sends the completion again; the order is Audited once more and waits for ERP's answer.
    /// </summary>
    private static Task<IResult> ResendCompletion(Guid orderId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<GetOrder> orders, IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Decide(orderId, idempotencyKey, orders, clients, db, http, approving: false,
            (order, commandId, caller) => new ResendOrderCompletion(order.OrderId, commandId, caller.UserId, order.Version, clock.GetUtcNow()), ct,
            permission: StaffPermissions.OrdersApprove);

    /// <summary>
    /// The manual audit step (稽核, <c>Orders:Audit:Manual</c>): a staff member with <c>orders.audit</c> over the order's owner, never the
    /// owner, passes the order waiting in Auditing (its completion goes to ERP) or refuses it with a reason (it compensates).
    /// </summary>
    private static async Task<IResult> Audit(Guid orderId, OrderAuditRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<GetOrder> orders, IClientFactory clients, HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Passed is null)
            errors["passed"] = ["passed is required: true to pass the audit, false to refuse it."];
        else if (request.Passed == false && string.IsNullOrWhiteSpace(request.Reason))
            errors["reason"] = ["a refused audit needs a reason."];
        if (request.Reason is { Length: > 500 })
            errors["reason"] = ["reason is at most 500 characters."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The audit is invalid.");
        return await Decide(orderId, idempotencyKey, orders, clients, db, http, approving: false,
            (order, commandId, who) => new AuditOrder(order.OrderId, commandId, who.UserId, request.Passed!.Value, request.Reason?.Trim(), order.Version,
                clock.GetUtcNow()), ct, permission: StaffPermissions.OrdersAudit, notByOwner: true);
    }

    /// <summary>
    /// One step on an order the caller sees (404 outside the scope): approval steps only for whom
    /// <see cref="MobileCaller.MayApproveOrderOf"/> allows, other steps needing a <paramref name="permission"/> only for whom it
    /// covers the order's owner (403), and never by the owner when <paramref name="notByOwner"/> (403); <c>If-Match</c> with the order's ETag (428/412); then the command to
    /// the order saga, whose answer comes back as the order (200), a broken rule (422) or a version conflict (412).
    /// </summary>
    private static async Task<IResult> Decide<T>(Guid orderId, string? idempotencyKey, IRequestClient<GetOrder> orders, IClientFactory clients,
        HubDbContext db, HttpContext http, bool approving, Func<OrderDetails, Guid, MobileCaller, T> command, CancellationToken ct, string? permission = null,
        bool notByOwner = false)
        where T : class
    {
        var caller = MobileCaller.From(http.User);
        if (await FindVisible(orderId, orders, db, http, ct) is not { } order)
            return NotFound(orderId);
        if (notByOwner && order.OwnerUserId == caller.UserId)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not take this step on your own order.",
                detail: "It is a second pair of eyes: someone other than the order's owner takes it.");
        if (approving)
        {
            var owner = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == order.OwnerUserId, ct);
            if (!caller.MayApproveOrderOf(order.OwnerUserId, owner?.Region))
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not decide on this order's approval.",
                    detail: "Only a manager of the region of the order's owner decides on its approval, and never the owner.");
        }
        if (permission is not null && !await StaffScope.CoversAsync(caller, permission, order.OwnerUserId, db, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not take this step on this order.",
                detail: $"It needs the permission {permission} over the order's owner.");
        if (EntityTags.CheckIfMatch(http, order.Version) is { } precondition)
            return precondition;
        var commandId = IdempotencyFilter.IdFor("crm-order-command", $"{caller.UserId}:{MobileApi.Canonical(http.Request.Path)}:{idempotencyKey}");
        var response = await clients.CreateRequestClient<T>(OrderSaga)
            .GetResponse<OrderDetails, OrderCommandRejected, OrderNotFound>(command(order, commandId, caller), ct);
        if (response.Is(out Response<OrderDetails>? done))
        {
            EntityTags.Set(http, done!.Message.Version);
            return TypedResults.Ok(done.Message);
        }
        if (response.Is(out Response<OrderCommandRejected>? rejected))
        {
            var refusal = rejected!.Message;
            if (!refusal.Conflict)
                return TypedResults.ValidationProblem(refusal.Errors.ToDictionary(e => e.Key, e => e.Value), title: "The request breaks a business rule.");
            EntityTags.Set(http, refusal.CurrentVersion);
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else.",
                detail: $"It is now at version {EntityTags.Of(refusal.CurrentVersion)}; fetch it again and retry with the new ETag.");
        }
        return NotFound(orderId);
    }

    /// <summary>The order, if it exists and the caller may see it: an order outside the caller's scope answers exactly as a missing one.</summary>
    private static async Task<OrderDetails?> FindVisible(Guid orderId, IRequestClient<GetOrder> orders, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var response = await orders.GetResponse<OrderDetails, OrderNotFound>(new GetOrder(orderId, null), ct);
        var caller = MobileCaller.From(http.User);
        return response.Is(out Response<OrderDetails>? found)
               && await StaffScope.CoversAsync(caller, StaffPermissions.OrdersRead, found!.Message.OwnerUserId, db, ct)
            ? found.Message
            : null;
    }

    private static ProblemHttpResult NotFound(Guid orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such order.", detail: $"Order {orderId} does not exist.");

    /// <summary>The same idempotency key always names the same order, so a retried POST places it once.</summary>
    internal static Guid OrderIdFor(string idempotencyKey) => IdempotencyFilter.IdFor("crm-order", idempotencyKey);
}
