using Hub.Infrastructure.Audit;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Infrastructure.Messaging;

/// <summary>
/// The shared messaging configuration every endpoint gets: transport from configuration,
/// retries then scheduled redelivery, the transactional inbox/outbox, the durable scheduler, the
/// EF Core saga store, and the audit of every message.
/// </summary>
public static class HubBus
{
    /// <summary>Registers MassTransit with the modules' consumers and sagas.</summary>
    public static IServiceCollection AddHubBus(this IServiceCollection services, HubOptions options, IReadOnlyList<IHubModule> modules)
    {
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.SetHubSagaRepositoryProvider();
            x.AddHubInboxOutbox();
            x.AddMessageScheduler(HubScheduler.Address);

            foreach (var module in modules)
                module.AddBus(x);

            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                // Long partner outages: redeliver on schedule (durable), after quick in-place retries.
                endpoint.UseScheduledRedelivery(r => r.Intervals(options.RedeliveryIntervals));
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Crm.Domain.DomainRuleViolation>();
                    r.Exponential(options.ImmediateRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
                });
                endpoint.UseHubInboxOutbox(context);
            });

            if (options.Transport == "rabbitmq")
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = options.RabbitMq;
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    cfg.UseMessageScheduler(HubScheduler.Address);
                    cfg.ConnectHubMessageAudit(context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageScheduler(HubScheduler.Address);
                    cfg.ConnectHubMessageAudit(context);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
