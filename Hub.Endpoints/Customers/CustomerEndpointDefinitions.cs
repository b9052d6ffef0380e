using Hub.Infrastructure;
using MassTransit;

namespace Hub.Endpoints.Customers;

/// <summary>Every customer and contact command shares the customers endpoint.</summary>
public sealed class RegisterCustomerConsumerDefinition : ConsumerDefinition<RegisterCustomerConsumer>
{
    public RegisterCustomerConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class UpdateCustomerProfileConsumerDefinition : ConsumerDefinition<UpdateCustomerProfileConsumer>
{
    public UpdateCustomerProfileConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class AssignCustomerOwnerConsumerDefinition : ConsumerDefinition<AssignCustomerOwnerConsumer>
{
    public AssignCustomerOwnerConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class GradeCustomerConsumerDefinition : ConsumerDefinition<GradeCustomerConsumer>
{
    public GradeCustomerConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class AddContactConsumerDefinition : ConsumerDefinition<AddContactConsumer>
{
    public AddContactConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class UpdateContactConsumerDefinition : ConsumerDefinition<UpdateContactConsumer>
{
    public UpdateContactConsumerDefinition() => EndpointName = HubQueues.Customers;
}

/// <summary>See <see cref="RegisterCustomerConsumerDefinition"/>.</summary>
public sealed class MergeCustomersConsumerDefinition : ConsumerDefinition<MergeCustomersConsumer>
{
    public MergeCustomersConsumerDefinition() => EndpointName = HubQueues.Customers;
}
