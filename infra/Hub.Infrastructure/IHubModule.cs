using MassTransit;
using Microsoft.AspNetCore.Builder;

namespace Hub.Infrastructure;

/// <summary>
/// One host's share of the hub (Endpoints, Adapters, Functions). A process runs one module in
/// the distributed mode and all of them in the embedded default; <see cref="HubApp"/> composes them.
/// </summary>
public interface IHubModule
{
    /// <summary>Name of the module, used for logs, health and the store's model cache.</summary>
    string Name { get; }

    /// <summary>Registers services, options and store models (<c>IHubStoreModel</c>).</summary>
    void AddServices(WebApplicationBuilder builder);

    /// <summary>Registers consumers, sagas and functions with the bus.</summary>
    void AddBus(IBusRegistrationConfigurator bus);

    /// <summary>Maps HTTP routes (REST, SOAP, pages); nothing for a module without any.</summary>
    void Map(WebApplication app);
}
