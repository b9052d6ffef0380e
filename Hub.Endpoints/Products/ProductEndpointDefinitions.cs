using Hub.Infrastructure;
using MassTransit;

namespace Hub.Endpoints.Products;

/// <summary>Every product and price-book command shares the products endpoint.</summary>
public sealed class RegisterProductConsumerDefinition : ConsumerDefinition<RegisterProductConsumer>
{
    public RegisterProductConsumerDefinition() => EndpointName = HubQueues.Products;
}

/// <summary>See <see cref="RegisterProductConsumerDefinition"/>.</summary>
public sealed class UpdateProductConsumerDefinition : ConsumerDefinition<UpdateProductConsumer>
{
    public UpdateProductConsumerDefinition() => EndpointName = HubQueues.Products;
}

/// <summary>See <see cref="RegisterProductConsumerDefinition"/>.</summary>
public sealed class ChangeProductStateConsumerDefinition : ConsumerDefinition<ChangeProductStateConsumer>
{
    public ChangeProductStateConsumerDefinition() => EndpointName = HubQueues.Products;
}

/// <summary>See <see cref="RegisterProductConsumerDefinition"/>.</summary>
public sealed class SetPriceBookConsumerDefinition : ConsumerDefinition<SetPriceBookConsumer>
{
    public SetPriceBookConsumerDefinition() => EndpointName = HubQueues.Products;
}
