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

    /// <summary>The hub's SQLite file (the raw store, read by the tests that prove what it does not hold).</summary>
    public string DatabasePath => Path.Combine(_root, "hub.db");

    /// <summary>Partners of configuration whose credentials the identity store tests rotate (no other test uses them).</summary>
    public const string RotatedErp = "erp-rotate", RotatedClient = "crm-sync";

    /// <summary>Secrets configuration gives those partners (the bootstrap import puts them in the store).</summary>
    public static readonly string RotatedErpPassword = "erp-" + Guid.NewGuid().ToString("N"), BillingSecret = "bill-" + Guid.NewGuid().ToString("N"),
        SecondBillingSecret = "bill2-" + Guid.NewGuid().ToString("N"), KannelInboundKey = "kannel-" + Guid.NewGuid().ToString("N"),
        ClientSecret = "client-" + Guid.NewGuid().ToString("N");

    private static readonly string ClientSecretHash = global::Hub.Infrastructure.Access.PasswordDigest.Hash(ClientSecret);

    /// <summary>An ERP whose queries see only the customers of <see cref="NorthRegion"/> and their orders (allowed from loopback only).</summary>
    public const string NorthErp = "erp-north", NorthRegion = "华北";

    /// <summary>An ERP of configuration allowed only from 10.0.0.0/8, so the tests' loopback calls are refused.</summary>
    public const string FencedErp = "erp-fenced";

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
            $"--Soap:Partners:{NorthErp}:AllowedNetworks:0=127.0.0.0/8", $"--Soap:Partners:{NorthErp}:AllowedNetworks:1=::1",
            $"--Soap:Partners:{FencedErp}:Username={FencedErp}", $"--Soap:Partners:{FencedErp}:Password={Erp.ErpTestPartners.Password}",
            $"--Soap:Partners:{FencedErp}:AllowedNetworks:0=10.0.0.0/8", $"--Soap:Partners:{FencedErp}:Delivery=poll",
            $"--Soap:Partners:{RotatedErp}:Username={RotatedErp}-user", $"--Soap:Partners:{RotatedErp}:Password={RotatedErpPassword}",
            $"--Soap:Partners:{RotatedErp}:Delivery=poll",
            $"--Partners:Billing:Webhooks:Secrets:0={BillingSecret}", $"--Partners:Billing:Webhooks:Secrets:1={SecondBillingSecret}",
            $"--Sms:Kannel:InboundKey={KannelInboundKey}",
            $"--Hub:Clients:{RotatedClient}:SecretHash={ClientSecretHash}",
            $"--Hub:Clients:{RotatedClient}:Scopes:0=notifications:read",
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
