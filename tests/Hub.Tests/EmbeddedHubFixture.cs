using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests;

/// <summary>
/// The embedded default as a newcomer runs it, in this process: real Kestrel sockets on free
/// ports, a SQLite file and a mail pickup folder of its own.
/// </summary>
public sealed class EmbeddedHubFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hub-embedded-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedHub Hub { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string SimulatorsUrl { get; private set; } = "";
    public string MailDirectory => Path.Combine(_root, "mail");
    public string DatabasePath => Path.Combine(_root, "hub.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Simulators:Urls=http://127.0.0.1:0",
            $"--Hub:SqlitePath={DatabasePath}",
            $"--Smtp:PickupDirectory={MailDirectory}",
            "--Hub:RedeliveryIntervals:0=00:00:01",
            "--Hub:RedeliveryIntervals:1=00:00:02",
            "--Logging:Format=simple",
            .. Ops.OpsTestUsers.Args,
            .. Erp.ErpTestPartners.Args,
        ]);
        BaseUrl = EmbeddedHub.AddressOf(Hub.Hub);
        SimulatorsUrl = EmbeddedHub.AddressOf(Hub.Simulators!);
    }

    /// <summary>Creates <paramref name="userId"/> (a new password and phone) and signs in on a new device.</summary>
    public Task<MobileSession> SignInAsync(string userId, string role = MobileRoles.Salesperson, string office = "sh-pudong", string region = "east") =>
        SignInAsync(Hub, BaseUrl, userId, role, office, region);

    /// <summary>Creates a user directly in <paramref name="hub"/>'s store and signs in over HTTP, as a phone would.</summary>
    public static async Task<MobileSession> SignInAsync(EmbeddedHub hub, string baseUrl, string userId, string role = MobileRoles.Salesperson,
        string office = "sh-pudong", string region = "east")
    {
        var password = Guid.NewGuid().ToString("N");
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        await hub.Hub.Services.GetRequiredService<MobileUserDirectory>().UpsertAsync(userId,
            new MobileUserSeed { Role = role, Office = office, Region = region, Phone = phone, Password = password });
        return await MobileSession.SignInAsync(baseUrl, userId, password, phone);
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("embedded")]
public sealed class EmbeddedHubCollection : ICollectionFixture<EmbeddedHubFixture>;
