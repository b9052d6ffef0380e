using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hub.Infrastructure.Telemetry;

/// <summary>The hub's own trace source and meter, beside MassTransit's.</summary>
public static class HubDiagnostics
{
    /// <summary>Name of the hub's ActivitySource and Meter.</summary>
    public const string Name = "Crm.Hub";

    /// <summary>Spans for partner calls and flows.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Counters and histograms of the hub.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Orders accepted through any channel.</summary>
    public static readonly Counter<long> OrdersAccepted = Meter.CreateCounter<long>("crm.orders.accepted");
}

/// <summary>
/// OpenTelemetry wiring. OpenTelemetry.Extensions.Hosting is not in our registry, so the
/// providers are built here and owned by a hosted service; they export only when an OTLP
/// endpoint is configured.
/// </summary>
public static class HubTelemetry
{
    /// <summary>Registers trace and metric providers for MassTransit's and the hub's sources.</summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, HubOptions options, string[] modules)
    {
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            return services;
        var http = options.OtlpProtocol == "http";
        var interval = (int)options.OtlpExportInterval.TotalMilliseconds;
        // OTLP/HTTP takes the full URL of each signal when set in code; gRPC takes the collector's base address.
        Action<OtlpExporterOptions> exporter(string signal) => o =>
        {
            var baseUrl = options.OtlpEndpoint!.TrimEnd('/');
            o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            o.Endpoint = new Uri(http ? $"{baseUrl}/v1/{signal}" : baseUrl);
            o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = interval;
        };
        var resource = ResourceBuilder.CreateDefault().AddService("crm-hub-" + string.Join("-", modules).ToLowerInvariant());
        services.AddHostedService(_ => new TelemetryProviders(
            Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource("MassTransit", HubDiagnostics.Name)
                .AddOtlpExporter(exporter("traces"))
                .Build(),
            Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter("MassTransit", HubDiagnostics.Name)
                .AddOtlpExporter((o, reader) =>
                {
                    exporter("metrics")(o);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                })
                .Build()));
        return services;
    }

    private sealed class TelemetryProviders(TracerProvider traces, MeterProvider metrics) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            traces.ForceFlush(2000);
            metrics.ForceFlush(2000);
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            traces.Dispose();
            metrics.Dispose();
        }
    }
}
