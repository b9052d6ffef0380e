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

/// <summary>Orders for the mobile apps: place, list (own or in scope), follow.</summary>
public static class OrdersApi
{
    /// <summary>Maps <c>/api/v1/orders</c> and its alias <c>/api/orders</c>.</summary>
    public static void MapOrdersApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("orders", "Orders", g =>
    {
        g.MapPost("/", PlaceOrder);
        g.MapGet("/", ListOrders);
        g.MapGet("/{orderId:guid}", GetOrder);
    });

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

    private static async Task<Results<Ok<OrderDetails>, ProblemHttpResult>> GetOrder(Guid orderId, IRequestClient<GetOrder> orders, HubDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var response = await orders.GetResponse<OrderDetails, OrderNotFound>(new GetOrder(orderId, null), ct);
        var caller = MobileCaller.From(http.User);
        // An order outside the caller's scope answers exactly as a missing one: its existence is not disclosed.
        if (response.Is(out Response<OrderDetails>? found)
            && await StaffScope.CoversAsync(caller, StaffPermissions.OrdersRead, found!.Message.OwnerUserId, db, ct))
            return TypedResults.Ok(found.Message);
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such order.", detail: $"Order {orderId} does not exist.");
    }

    /// <summary>The same idempotency key always names the same order, so a retried POST places it once.</summary>
    internal static Guid OrderIdFor(string idempotencyKey) => IdempotencyFilter.IdFor("crm-order", idempotencyKey);
}
