using Hub.Infrastructure.Access;
using Hub.Infrastructure.Audit;
using Hub.Infrastructure.Monitoring;
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

            x.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                // Long partner outages: redeliver on schedule (durable), after quick in-place retries.
                endpoint.UseScheduledRedelivery(r => r.Intervals(options.EffectiveRedeliveryIntervals));
                endpoint.UseMessageRetry(r =>
                {
                    r.Ignore<Crm.Domain.DomainRuleViolation>();
                    r.Exponential(options.ImmediateRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
                });
                // Not on the scheduler: every scheduled redelivery of a message carries that message's id, so an inbox
                // there would drop the second redelivery as a duplicate. The scheduler is idempotent by token id instead.
                if (queue != HubScheduler.EndpointName)
                    endpoint.UseHubInboxOutbox(context);
                endpoint.UseFailedMessageCapture(queue, context);
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
                    if (options.Audit.Enabled)
                        cfg.ConnectHubMessageAudit(context);
                    cfg.ConnectHubMetrics(context);
                    cfg.ConnectChangeAuthorHeaders(context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageScheduler(HubScheduler.Address);
                    if (options.Audit.Enabled)
                        cfg.ConnectHubMessageAudit(context);
                    cfg.ConnectHubMetrics(context);
                    cfg.ConnectChangeAuthorHeaders(context);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
