using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Bench;

/// <summary>The figures of the access-check bench: each side, and the hub settings it ran with.</summary>
public sealed record AccessCheckResult(EndpointResult Anonymous, EndpointResult Cached, EndpointResult Uncached);

/// <summary>
/// What the mobile API's access checks cost (issue 8: roles and delegations are loaded for every mobile request). Three sides, rounds
/// alternating on one embedded hub per setting, same loop and concurrency: an anonymous GET that touches the store
/// (<c>/health/ready</c>: no token, no device, no grants), a mobile GET (<c>/api/v1/products?pageSize=1</c>: token, device binding,
/// user, then roles and delegations) with the grants cached (<c>Access:GrantCacheDuration</c> default), and the same mobile GET with
/// roles and delegations read on every call (<c>Access:GrantCacheDuration=00:00:00</c>). The caller is a deputy with a delegation in
/// force, so the delegation branch runs too. Compare the ratios within one run.
/// </summary>
public static class AccessCheckBench
{
    public static async Task<AccessCheckResult> Run(int requests = 10_000, int concurrency = 16)
    {
        var anonymous = new List<EndpointResult>();
        var cached = new List<EndpointResult>();
        var uncached = new List<EndpointResult>();
        for (var round = 0; round < 2; round++)
            foreach (var (setting, sink) in new[] { ((string?)null, cached), ("--Access:GrantCacheDuration=00:00:00", uncached) })
            {
                var (health, mobile) = await Side(setting, requests / 2, concurrency);
                anonymous.Add(health);
                sink.Add(mobile);
            }
        return new AccessCheckResult(SoapBench.Combine("anonymous GET /health/ready (no access checks)", anonymous),
            SoapBench.Combine("mobile GET /api/v1/products, grants cached", cached),
            SoapBench.Combine("mobile GET /api/v1/products, roles and delegations read every call", uncached));
    }

    private static async Task<(EndpointResult Health, EndpointResult Mobile)> Side(string? setting, int requests, int concurrency)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-bench-access-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await using var hub = await EmbeddedHub.StartAsync(
            [
                "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning",
                $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
                .. setting is null ? Array.Empty<string>() : [setting],
            ]);
            var baseUrl = EmbeddedHub.AddressOf(hub.Hub);
            var directory = hub.Hub.Services.GetRequiredService<MobileUserDirectory>();
            await directory.UpsertAsync("bench-manager", new MobileUserSeed { Role = MobileRoles.Manager, Office = "bench", Region = "bench", Phone = "13800000001", Password = "bench-manager-1" });
            await directory.UpsertAsync("bench-deputy", new MobileUserSeed { Role = MobileRoles.Salesperson, Office = "bench", Region = "bench", Phone = "13800000002", Password = "bench-deputy-1" });
            using var manager = await MobileSession.SignInAsync(baseUrl, "bench-manager", "bench-manager-1", "13800000001");
            (await manager.PostAsync("/api/v1/delegations", new { deputyUserId = "bench-deputy", permissions = new[] { "orders.approve" } })).EnsureSuccessStatusCode();
            using var deputy = await MobileSession.SignInAsync(baseUrl, "bench-deputy", "bench-deputy-1", "13800000002");

            using var anonymous = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(baseUrl) };
            async Task Health(HttpClient http, int _) => (await http.GetAsync("/health/ready")).EnsureSuccessStatusCode().Dispose();
            async Task Products(HttpClient http, int _) => (await http.GetAsync("/api/v1/products?pageSize=1")).EnsureSuccessStatusCode().Dispose();
            await SoapBench.Load(anonymous, Health, 500, concurrency);   // warm-up: connections, EF's compiled queries
            await SoapBench.Load(deputy.Http, Products, 500, concurrency);
            return (await SoapBench.Load(anonymous, Health, requests, concurrency), await SoapBench.Load(deputy.Http, Products, requests, concurrency));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
