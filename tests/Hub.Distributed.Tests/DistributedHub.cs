using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Hub.Distributed.Tests;

/// <summary>
/// The hub in the distributed mode: simulators, Endpoints, Adapters and Functions as separate
/// processes over a RabbitMQ virtual host and a PostgreSQL database of their own.
/// </summary>
public sealed class DistributedHub : IAsyncDisposable
{
    private readonly string _database = "hubdist_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _vhost = "hubdist_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<HostProcess> _hosts = [];
    private string[] _hubArgs = [];

    private readonly string _mobilePassword = Guid.NewGuid().ToString("N");

    /// <summary>The ERP that calls the Adapters host's /soap/erp (its UsernameToken; it polls its mailbox, so nothing is pushed to it).</summary>
    public const string ErpPartner = "erp-dist", ErpUsername = "erp-dist-user";

    /// <summary><see cref="ErpUsername"/>'s password, made up for this run.</summary>
    public string ErpPassword { get; } = "Erp-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Salespeople the Adapters host knows; each may sign in once per hub (one bound handset each).</summary>
    public static readonly string[] MobileUsers = ["sales-dist", "sales-crash"];

    private static string PhoneOf(string userId) => "1390000" + (Array.IndexOf(MobileUsers, userId) + 1).ToString("D4");

    /// <summary>Signs <paramref name="userId"/> (one of <see cref="MobileUsers"/>) in on the Adapters host.</summary>
    public Task<Hub.TestSupport.MobileSession> SignInAsync(string userId) =>
        Hub.TestSupport.MobileSession.SignInAsync(Adapters.BaseUrl, userId, _mobilePassword, PhoneOf(userId));

    public HostProcess Simulators { get; private set; } = null!;
    public HostProcess Endpoints { get; private set; } = null!;
    public HostProcess Adapters { get; private set; } = null!;
    public HostProcess Functions { get; private set; } = null!;
    public string MailDirectory { get; } = Path.Combine(Path.GetTempPath(), "hubdist-mail-" + Guid.NewGuid().ToString("N")[..8]);
    public string ConnectionString { get; private set; } = "";

    public static async Task<DistributedHub> StartAsync(params string[] simulatorArgs)
    {
        var hub = new DistributedHub();
        try
        {
            await hub.Start(simulatorArgs);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    private async Task Start(string[] simulatorArgs)
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES")) { Database = "postgres" };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = _database }.ConnectionString;
        RabbitCtl("add_vhost", _vhost);
        RabbitCtl("set_permissions", "-p", _vhost, Rabbit.UserName, ".*", ".*", ".*");

        var erpPassword = Guid.NewGuid().ToString("N");
        Simulators = Add("Hub.Simulators",
            [.. simulatorArgs, "--Simulators:Erp:Partners:crm-hub:Username=crm-hub", $"--Simulators:Erp:Partners:crm-hub:Password={erpPassword}"]);
        Simulators.Start();
        await Simulators.WaitUntilReady("/sim/billing/received", TimeSpan.FromSeconds(60));

        _hubArgs =
        [
            "--Hub:Transport=rabbitmq",
            "--Hub:Store=postgres",
            $"--Hub:PostgresConnectionString={ConnectionString}",
            $"--Hub:RabbitMq:Host={Rabbit.Host}",
            $"--Hub:RabbitMq:Port={(Rabbit.Port > 0 ? Rabbit.Port : 5672)}",
            $"--Hub:RabbitMq:VirtualHost={_vhost}",
            $"--Hub:RabbitMq:Username={Rabbit.UserName}",
            $"--Hub:RabbitMq:Password={Rabbit.Password}",
            "--Hub:RedeliveryIntervals:0=00:00:02",
            "--Hub:RedeliveryIntervals:1=00:00:05",
            "--Hub:RedeliveryIntervals:2=00:00:10",
            $"--Partners:Billing:BaseUrl={Simulators.BaseUrl}/billing",
            $"--Partners:Erp:BaseUrl={Simulators.BaseUrl}/erp/sales",
            "--Partners:Erp:Username=crm-hub",
            $"--Partners:Erp:Password={erpPassword}",
            $"--Smtp:PickupDirectory={MailDirectory}",
            $"--Soap:Partners:{ErpPartner}:Username={ErpUsername}", $"--Soap:Partners:{ErpPartner}:Password={ErpPassword}",
            $"--Soap:Partners:{ErpPartner}:Delivery=poll",
            // Mobile users for the tests, with a password made up for this run.
            .. MobileUsers.SelectMany(u => new[] { $"--Mobile:Users:{u}:Phone={PhoneOf(u)}", $"--Mobile:Users:{u}:Password={_mobilePassword}", $"--Mobile:Users:{u}:Office=dist" }),
            // Column keys made up for this run, the same for every host of the shared store.
            $"--Hub:ColumnEncryption:Keys:k1={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            "--Hub:ColumnEncryption:ActiveKeyId=k1",
            $"--Hub:ColumnEncryption:IndexKeys:i1={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
            "--Hub:ColumnEncryption:ActiveIndexKeyId=i1",
        ];
        // Endpoints first: it applies the schema; the others wait for it on their own but start faster after.
        Endpoints = Add("Hub.Endpoints", _hubArgs);
        Endpoints.Start();
        await Endpoints.WaitUntilReady("/health/ready", TimeSpan.FromSeconds(90));
        Adapters = Add("Hub.Adapters", _hubArgs);
        Functions = Add("Hub.Functions", _hubArgs);
        Adapters.Start();
        Functions.Start();
        await Task.WhenAll(Adapters.WaitUntilReady("/health/ready", TimeSpan.FromSeconds(90)),
            Functions.WaitUntilReady("/health/ready", TimeSpan.FromSeconds(90)));
    }

    /// <summary>kill -9 the Endpoints process, then start a new one on the same queues and database.</summary>
    public async Task CrashAndRestartEndpoints()
    {
        Endpoints.Kill();
        Endpoints = Add("Hub.Endpoints", _hubArgs);
        Endpoints.Start();
        await Endpoints.WaitUntilReady("/health/ready", TimeSpan.FromSeconds(90));
    }

    /// <summary>Starts one more Endpoints process on the same queues and database: the instances compete for every endpoint queue.</summary>
    public async Task<HostProcess> StartAnotherEndpointsAsync()
    {
        var another = Add("Hub.Endpoints", _hubArgs);
        another.Start();
        await another.WaitUntilReady("/health/ready", TimeSpan.FromSeconds(90));
        return another;
    }

    private HostProcess Add(string project, string[] args)
    {
        var host = new HostProcess(project, HostProcess.FreePort(), args);
        _hosts.Add(host);
        return host;
    }

    public async Task<JsonElement> SimulatorRecords(string partner)
    {
        using var http = new HttpClient();
        return await http.GetFromJsonAsync<JsonElement>($"{Simulators.BaseUrl}/sim/{partner}/received");
    }

    public async Task<Dictionary<Guid, string>> OrderStates()
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT \"CorrelationId\", \"CurrentState\" FROM crm_order_saga", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var states = new Dictionary<Guid, string>();
        while (await reader.ReadAsync())
            states[reader.GetGuid(0)] = reader.GetString(1);
        return states;
    }

    /// <summary>Every host's output, for a failing test's message.</summary>
    public string Logs() => string.Join("\n", _hosts.Select(h => $"===== {h.Name} :{h.Port} =====\n{Tail(h.Log, 60)}"));

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        try { RabbitCtl("delete_vhost", _vhost); } catch (InvalidOperationException) { }
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES")) { Database = "postgres" };
            await using var conn = new NpgsqlConnection(admin.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException) { }
        if (Directory.Exists(MailDirectory))
            Directory.Delete(MailDirectory, recursive: true);
    }

    private static Uri Rabbit => new(Environment.GetEnvironmentVariable("HUB_TEST_RABBITMQ")!);

    private static void RabbitCtl(params string[] args)
    {
        var info = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {error}");
    }
}

internal static class UriUserInfo
{
    extension(Uri uri)
    {
        public string UserName => Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
        public string Password => Uri.UnescapeDataString(uri.UserInfo.Split(':').ElementAtOrDefault(1) ?? "");
    }
}
