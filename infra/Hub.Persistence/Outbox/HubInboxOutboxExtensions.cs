using MassTransit;
using MassTransit.Configuration;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Persistence;

/// <summary>Wiring of the hub's transactional inbox/outbox.</summary>
public static class HubInboxOutboxExtensions
{
    /// <summary>
    /// Registers the inbox/outbox services: the scoped <see cref="HubOutboxContextFactory"/>, the
    /// <see cref="HubOutboxSweeper"/> and the <see cref="HubInboxCleanupService"/>. Call inside
    /// <c>AddMassTransit(x =&gt; x.AddHubInboxOutbox())</c> (or on the service collection); requires <c>AddHubStore</c>.
    /// Then enable it per endpoint with <see cref="UseHubInboxOutbox"/>.
    /// </summary>
    public static IServiceCollection AddHubInboxOutbox(this IServiceCollection services, Action<HubInboxOutboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<IOutboxContextFactory<HubDbContext>, HubOutboxContextFactory>();
        services.AddOptions<HubInboxOutboxOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o => o.IsValid(), "HubInboxOutboxOptions: intervals, retention and claim duration must be positive and BatchSize above zero.");
        services.AddHostedService<HubOutboxSweeper>();
        services.AddHostedService<HubInboxCleanupService>();
        return services;
    }

    /// <summary>
    /// Puts every consumer and saga configured on this endpoint after this call behind the hub inbox/outbox:
    /// a message already consumed by that consumer is dropped; what the consumer publishes or sends (including
    /// scheduled messages) is stored in its <see cref="HubDbContext"/> transaction and sent after commit.
    /// Call it before the consumers are configured, e.g. in
    /// <c>x.AddConfigureEndpointsCallback((context, name, e) =&gt; { e.UseMessageRetry(...); e.UseHubInboxOutbox(context); })</c>.
    /// Configure <c>UseMessageRetry</c> on the endpoint (outside the outbox) so store conflicts are retried with a fresh scope.
    /// <paramref name="configure"/> may change <c>MessageDeliveryLimit</c> (messages sent per delivery transaction, default 100 here).
    /// </summary>
    public static void UseHubInboxOutbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context,
        Action<IOutboxOptionsConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(context);
        // MassTransit's default sends one outbox message per transaction; a few per transaction keeps the SQLite write
        // lock short for sagas that publish several messages (a crash mid-batch resends, and receivers dedupe by id).
        var observer = new OutboxConsumePipeSpecificationObserver<HubDbContext>(configurator, context) { MessageDeliveryLimit = 100 };
        configure?.Invoke(observer);
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}
