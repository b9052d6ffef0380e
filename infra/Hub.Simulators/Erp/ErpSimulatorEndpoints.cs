using Hub.Soap.Server;

namespace Hub.Simulators.Erp;

/// <summary>
/// Wiring of the ERP simulator:
/// <code>
/// var erp = builder.Configuration.GetSection("Simulators:Erp").Get&lt;ErpSimulatorOptions&gt;() ?? new ErpSimulatorOptions();
/// builder.Services.AddErpSimulator(erp);
/// ...
/// app.MapErpSimulator();
/// </code>
/// </summary>
public static class ErpSimulatorEndpoints
{
    /// <summary>Registers the simulator, its shipment reporter (a hosted service) and the SOAP server defaults.</summary>
    public static IServiceCollection AddErpSimulator(this IServiceCollection services, ErpSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSoapServer();
        services.AddHttpClient(ErpHubCaller.HttpClientName);
        services.AddSingleton(options);
        services.AddSingleton<ErpShipmentReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<ErpShipmentReporter>());
        services.AddSingleton<ErpSimulator>();
        return services;
    }

    /// <summary>
    /// Maps ErpSalesService at <see cref="ErpSimulatorOptions.Path"/> (WSDL at <c>?wsdl</c>) and the test hooks:
    /// <c>GET /sim/erp/received</c>, <c>DELETE /sim/erp/received</c>, <c>GET /sim/erp/shipments</c>,
    /// <c>GET|POST /sim/erp/behaviour</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapErpSimulator(this IEndpointRouteBuilder routes)
    {
        var simulator = routes.ServiceProvider.GetRequiredService<ErpSimulator>();
        var options = simulator.Options;
        routes.MapSoapService(options.Path, simulator.CreateService());
        routes.MapGet("/sim/erp/received", () => Results.Ok(simulator.Received));
        routes.MapDelete("/sim/erp/received", () =>
        {
            simulator.Reset();
            return Results.NoContent();
        });
        routes.MapGet("/sim/erp/shipments", () => Results.Ok(simulator.ShipmentReports));
        routes.MapGet("/sim/erp/behaviour", () => Results.Ok(Behaviour(options)));
        routes.MapPost("/sim/erp/behaviour", (ErpBehaviour b) =>
        {
            options.LatencyMs = b.LatencyMs;
            options.FailureRate = b.FailureRate;
            options.FailureMode = b.FailureMode;
            options.Down = b.Down;
            return Results.Ok(Behaviour(options));
        });
        return routes;
    }

    private static ErpBehaviour Behaviour(ErpSimulatorOptions o) => new(o.LatencyMs, o.FailureRate, o.FailureMode, o.Down);
}
