using Hub.Infrastructure;
using MassTransit;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>The ticket saga's endpoint. Two events of one ticket racing each other meet the store's optimistic concurrency and are retried.</summary>
public sealed class ServiceTicketStateDefinition : SagaDefinition<ServiceTicketState>
{
    public ServiceTicketStateDefinition() => EndpointName = HubQueues.ServiceTicketSaga;
}

/// <summary>Ticket commands and queries share the service tickets endpoint.</summary>
public sealed class ServiceTicketCommandConsumerDefinition : ConsumerDefinition<ServiceTicketCommandConsumer>
{
    public ServiceTicketCommandConsumerDefinition() => EndpointName = HubQueues.ServiceTickets;
}

/// <summary>See <see cref="ServiceTicketCommandConsumerDefinition"/>.</summary>
public sealed class GetServiceTicketConsumerDefinition : ConsumerDefinition<GetServiceTicketConsumer>
{
    public GetServiceTicketConsumerDefinition() => EndpointName = HubQueues.ServiceTickets;
}
