using Hub.Adapters;
using Hub.Endpoints;
using Hub.Functions;
using Hub.Infrastructure;
using System.Security.Cryptography;
using Hub.Simulators;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Hub.Embedded;

/// <summary>
/// The embedded default: Endpoints, Adapters and Functions in one process on the in-memory
/// transport and a SQLite file, with the ERP and billing simulators started beside them.
/// </summary>
public sealed class EmbeddedHub : IAsyncDisposable
{
    private EmbeddedHub(WebApplication hub, WebApplication? simulators, string? demoPassword)
    {
        Hub = hub;
        Simulators = simulators;
        DemoPassword = demoPassword;
    }

    /// <summary>The demo users of the embedded default (<see cref="DemoUsers"/>): the user id, role, office, region and phone.</summary>
    public static readonly (string UserId, string Role, string Office, string Region, string Phone)[] DemoUsers =
    [
        ("sales-li", "salesperson", "sh-pudong", "east", "13800000001"),
        ("eng-wang", "engineer", "sh-pudong", "east", "13800000002"),
        ("sup-zhao", "office-supervisor", "sh-pudong", "east", "13800000003"),
        ("mgr-chen", "manager", "sh-pudong", "east", "13800000004"),
    ];

    /// <summary>Password of the demo users for this run, or null when <c>Mobile:Users</c> was configured instead.</summary>
    public string? DemoPassword { get; }

    /// <summary>The hub's web application (REST, SOAP, push, operations, health).</summary>
    public WebApplication Hub { get; }

    /// <summary>The partner simulators, unless <c>--Simulators:Enabled=false</c>.</summary>
    public WebApplication? Simulators { get; }

    /// <summary>
    /// Starts the simulators (on <c>--Simulators:Urls</c>, default :5070) and then the hub, pointing
    /// the hub's partners at the simulators unless <c>Partners:*:BaseUrl</c> is given.
    /// </summary>
    /// <param name="args">Command-line settings.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <param name="configure">Changes to the hub's services before the defaults (tests: a clock they control).</param>
    public static async Task<EmbeddedHub> StartAsync(string[] args, CancellationToken ct = default, Action<WebApplicationBuilder>? configure = null)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables().Build();
        WebApplication? simulators = null;
        var extra = new List<string>(args);
        if (!string.Equals(config["Simulators:Enabled"], "false", StringComparison.OrdinalIgnoreCase))
        {
            // The bundled ERP and the hub authenticate each other both ways with credentials made up for this run only.
            var simulatorArgs = new List<string>(args);
            if (config["Partners:Erp:Password"] is null)
            {
                var toErp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                extra.AddRange(["--Partners:Erp:Username=crm-hub", $"--Partners:Erp:Password={toErp}"]);
                simulatorArgs.AddRange(["--Simulators:Erp:Partners:crm-hub:Username=crm-hub", $"--Simulators:Erp:Partners:crm-hub:Password={toErp}"]);
            }
            if (config["Soap:Partners:erp-simulator:Password"] is null)
            {
                var toHub = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                extra.AddRange(["--Soap:Partners:erp-simulator:Username=erp-simulator", $"--Soap:Partners:erp-simulator:Password={toHub}"]);
                simulatorArgs.AddRange(["--Simulators:Erp:HubUsername=erp-simulator", $"--Simulators:Erp:HubPassword={toHub}"]);
            }
            simulators = SimulatorApp.Build(simulatorArgs.ToArray(), config["Simulators:Urls"] ?? SimulatorApp.DefaultUrl);
            await simulators.StartAsync(ct);
            var baseUrl = AddressOf(simulators).TrimEnd('/');
            if (config["Partners:Billing:BaseUrl"] is null)
                extra.Add($"--Partners:Billing:BaseUrl={baseUrl}/billing");
            if (config["Partners:Erp:BaseUrl"] is null)
                extra.Add($"--Partners:Erp:BaseUrl={baseUrl}/erp/sales");
        }

        // Billing's webhooks need a shared secret; the bundled simulator and the hub get one made up for this run.
        if (config["Partners:Billing:Webhooks:Secrets:0"] is null)
            extra.Add($"--Partners:Billing:Webhooks:Secrets:0={Convert.ToHexString(RandomNumberGenerator.GetBytes(24))}");

        // Demo users for the mobile API, only in the embedded default and only when none are configured; their password is made
        // up for this run (or taken from Mobile:DemoPassword) and printed at start, never kept in the code.
        string? demoPassword = null;
        if (!config.GetSection("Mobile:Users").GetChildren().Any())
        {
            demoPassword = config["Mobile:DemoPassword"] ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
            foreach (var u in DemoUsers)
                extra.AddRange([$"--Mobile:Users:{u.UserId}:Role={u.Role}", $"--Mobile:Users:{u.UserId}:Office={u.Office}",
                    $"--Mobile:Users:{u.UserId}:Region={u.Region}", $"--Mobile:Users:{u.UserId}:Phone={u.Phone}",
                    $"--Mobile:Users:{u.UserId}:Password={demoPassword}"]);
        }

        var hub = HubApp.Build(extra.ToArray(), "http://localhost:5080", [new EndpointsModule(), new AdaptersModule(), new FunctionsModule()], configure);
        await hub.StartAsync(ct);
        return new EmbeddedHub(hub, simulators, demoPassword);
    }

    /// <summary>The first address a started application listens on.</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async ValueTask DisposeAsync()
    {
        await Hub.StopAsync();
        await Hub.DisposeAsync();
        if (Simulators is not null)
        {
            await Simulators.StopAsync();
            await Simulators.DisposeAsync();
        }
    }
}
