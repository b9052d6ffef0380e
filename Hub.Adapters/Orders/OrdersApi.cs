using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hub.Adapters.Orders;

/// <summary>Body of <c>POST /api/orders</c>.</summary>
public sealed record PlaceOrderRequest(
    Guid? OrderId,
    string? CustomerCode,
    string? OwnerUserId,
    string? ContactEmail,
    IReadOnlyList<OrderLine>? Lines);

/// <summary>Answer to an accepted order: where to follow it.</summary>
public sealed record OrderAccepted(Guid OrderId, string OrderNumber, string Status);

/// <summary>Orders for mobile and web clients.</summary>
public static class OrdersApi
{
    /// <summary>Maps <c>/api/orders</c>.</summary>
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/orders").WithTags("Orders");
        group.MapPost("/", PlaceOrder).WithName("PlaceOrder");
        group.MapGet("/{orderId:guid}", GetOrder).WithName("GetOrder");
        return group;
    }

    /// <summary>
    /// Checks the order against the domain's rules here, so a bad order is refused at once and
    /// nothing is sent; a good one is sent to the orders endpoint and answered 202.
    /// </summary>
    private static async Task<Accepted<OrderAccepted>> PlaceOrder(PlaceOrderRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ISendEndpointProvider send, TimeProvider clock,
        CancellationToken ct)
    {
        var orderId = request.OrderId ?? (string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid() : OrderIdFor(idempotencyKey));
        var lines = request.Lines ?? [];
        var now = clock.GetUtcNow();
        var order = Order.Place(orderId, request.CustomerCode ?? "", request.OwnerUserId ?? "",
            lines.Select(l => new OrderItem(l.ProductCode, l.SpecModel, l.Quantity, l.UnitPrice, l.Discount)).ToArray(),
            request.ContactEmail, "mobile", now);

        var endpoint = await send.GetSendEndpoint(HubQueues.Address(HubQueues.Orders));
        await endpoint.Send(new PlaceOrder(order.Id, order.CustomerCode, order.OwnerUserId, lines, order.ContactEmail, order.Channel, now), ct);
        return TypedResults.Accepted($"/api/orders/{order.Id}", new OrderAccepted(order.Id, order.Number, "Accepted"));
    }

    private static async Task<Results<Ok<OrderDetails>, ProblemHttpResult>> GetOrder(Guid orderId, IRequestClient<GetOrder> orders,
        CancellationToken ct)
    {
        var response = await orders.GetResponse<OrderDetails, OrderNotFound>(new GetOrder(orderId, null), ct);
        return response.Is(out Response<OrderDetails>? found)
            ? TypedResults.Ok(found!.Message)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such order.", detail: $"Order {orderId} does not exist.");
    }

    /// <summary>The same idempotency key always names the same order, so a retried POST places it once.</summary>
    internal static Guid OrderIdFor(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("crm-order:" + idempotencyKey.Trim()));
        return new Guid(hash.AsSpan(0, 16));
    }
}
