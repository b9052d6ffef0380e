using Hub.Embedded;

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
        ]);
        BaseUrl = EmbeddedHub.AddressOf(Hub.Hub);
        SimulatorsUrl = EmbeddedHub.AddressOf(Hub.Simulators!);
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
