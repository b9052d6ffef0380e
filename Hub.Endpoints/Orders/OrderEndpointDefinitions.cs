using Hub.Infrastructure;
using MassTransit;

namespace Hub.Endpoints.Orders;

/// <summary>The order saga's endpoint. Two events of one order racing each other meet the store's optimistic concurrency and are retried.</summary>
public sealed class OrderStateDefinition : SagaDefinition<OrderState>
{
    public OrderStateDefinition() => EndpointName = HubQueues.OrderSaga;
}

/// <summary>Order intake and order queries share the orders endpoint.</summary>
public sealed class PlaceOrderConsumerDefinition : ConsumerDefinition<PlaceOrderConsumer>
{
    public PlaceOrderConsumerDefinition() => EndpointName = HubQueues.Orders;
}

/// <summary>See <see cref="PlaceOrderConsumerDefinition"/>.</summary>
public sealed class GetOrderConsumerDefinition : ConsumerDefinition<GetOrderConsumer>
{
    public GetOrderConsumerDefinition() => EndpointName = HubQueues.Orders;
}
