using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>The hub's time as a test sets it: the real clock moved by <see cref="Offset"/> (timers keep the real clock).</summary>
public sealed class AdjustableClock : TimeProvider
{
    /// <summary>How far the hub's clock is ahead of the real one.</summary>
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// An embedded hub of its own whose clock the access tests move, so a delegation's expiry is tested without waiting.
/// Sign in before moving the clock: tokens are checked against the real time.
/// </summary>
public sealed class AccessHub : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-access-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedHub Hub { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public AdjustableClock Clock { get; } = new();

    /// <summary>An ERP whose queries see only the customers of <see cref="NorthRegion"/> and their orders.</summary>
    public const string NorthErp = "erp-north", NorthRegion = "华北";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Simulators:Urls=http://127.0.0.1:0",
            $"--Hub:SqlitePath={Path.Combine(_root, "hub.db")}",
            $"--Smtp:PickupDirectory={Path.Combine(_root, "mail")}",
            "--Logging:Format=simple",
            .. Ops.OpsTestUsers.Args,
            $"--Soap:Partners:{NorthErp}:Username={NorthErp}", $"--Soap:Partners:{NorthErp}:Password={Erp.ErpTestPartners.Password}",
            $"--Soap:Partners:{NorthErp}:Regions:0={NorthRegion}",
        ], configure: b => b.Services.AddSingleton<TimeProvider>(Clock));
        BaseUrl = EmbeddedHub.AddressOf(Hub.Hub);
    }

    /// <summary>Creates a user of <paramref name="role"/> and signs in on a new device.</summary>
    public Task<MobileSession> SignInAsync(string userId, string role, string office, string region) =>
        EmbeddedHubFixture.SignInAsync(Hub, BaseUrl, userId, role, office, region);

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("access")]
public sealed class AccessHubCollection : ICollectionFixture<AccessHub>;
