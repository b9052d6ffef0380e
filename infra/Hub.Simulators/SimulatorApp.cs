using Hub.Simulators.Billing;
using Hub.Simulators.Erp;

namespace Hub.Simulators;

/// <summary>
/// The partner simulators as one web application: billing under <c>/billing</c>, ERP under
/// <c>/erp</c>, test hooks under <c>/sim</c>. Settings: <c>Simulators:Billing</c> and
/// <c>Simulators:Erp</c> (<see cref="PartnerBehaviour"/>).
/// </summary>
public static class SimulatorApp
{
    /// <summary>Default address of the simulators.</summary>
    public const string DefaultUrl = "http://localhost:5070";

    /// <summary>Builds the simulators' web application on <paramref name="url"/>.</summary>
    public static WebApplication Build(string[] args, string url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var billing = new BillingSimulator(builder.Configuration.GetSection("Simulators:Billing").Get<PartnerBehaviour>() ?? new PartnerBehaviour());
        builder.Services.AddSingleton(billing);
        builder.Services.AddProblemDetails();
        builder.Services.AddErpSimulator(builder.Configuration.GetSection("Simulators:Erp").Get<ErpSimulatorOptions>() ?? new ErpSimulatorOptions());

        var app = builder.Build();
        billing.Map(app);
        app.MapErpSimulator();
        return app;
    }
}
