using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Monitoring;

/// <summary>What every host does for the operations view: heartbeats, metrics, failed-message capture, retention.</summary>
public static class MonitoringRegistration
{
    /// <summary>Adds the monitoring tables, the metrics observer, heartbeats, retry outcomes and the retention purge.</summary>
    public static IServiceCollection AddHubMonitoring(this IServiceCollection services, HubOptions options, IReadOnlyList<IHubModule> modules)
    {
        services.AddSingleton<Hub.Persistence.IHubStoreModel, MonitoringStoreModel>();
        services.AddSingleton<EndpointMetrics>();
        services.AddSingleton<PartnerCircuits>();
        services.AddHealthChecks().AddCheck<PartnerCircuitsHealthCheck>("partners", tags: ["ready"]);
        services.AddSingleton(options.Audit);
        services.AddSingleton(options.Heartbeat);
        var endpoint = string.Join("+", modules.Select(m => m.Name));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<HeartbeatService>(sp, endpoint));
        services.AddHostedService<RetryOutcomeRecorder>();
        services.AddSingleton<MonitoringRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitoringRetention>());
        return services;
    }

    /// <summary>Counts every message this bus consumes (throughput, processing and critical time, failures).</summary>
    public static void ConnectHubMetrics(this IBusFactoryConfigurator cfg, IBusRegistrationContext context) =>
        cfg.ConnectConsumeObserver(context.GetRequiredService<EndpointMetrics>());

    /// <summary>
    /// Records messages moved to this endpoint's error queue, keeping MassTransit's default error pipe
    /// (generate the <c>Fault</c>, move to <c>&lt;queue&gt;_error</c>) after it.
    /// </summary>
    public static void UseFailedMessageCapture(this IReceiveEndpointConfigurator endpoint, string queue, IRegistrationContext context)
    {
        var metrics = context.GetRequiredService<EndpointMetrics>();
        metrics.AddQueue(queue);
        var capture = new FailedMessageCapture(context.GetRequiredService<IServiceScopeFactory>(), metrics,
            context.GetRequiredService<ILogger<FailedMessageCapture>>());
        endpoint.ConfigureError(x =>
        {
            x.UseFilter(capture);
            x.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
            x.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
        });
    }
}
