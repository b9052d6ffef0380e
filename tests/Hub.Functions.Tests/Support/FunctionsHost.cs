using Hub.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Hub.Functions.Notifications;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Tests.Support;

/// <summary>
/// The functions host as the distributed mode runs it (FunctionsModule on the hub's composition root), in this
/// process on a real socket, with a SQLite file of its own, the in-memory transport, the durable scheduler (for
/// scheduled redelivery) and a manual clock.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private readonly string _root;
    private readonly TestDatabase _database;

    private FunctionsHost(WebApplication app, string baseUrl, string root, TestDatabase database, ManualClock clock)
    {
        App = app;
        BaseUrl = baseUrl;
        _root = root;
        _database = database;
        Clock = clock;
    }

    public WebApplication App { get; }
    /// <summary>The store it runs on.</summary>
    public TestDatabase Database => _database;
    public string BaseUrl { get; }
    public ManualClock Clock { get; }
    public TimeZoneInfo Zone => App.Services.GetRequiredService<IOptions<FunctionsOptions>>().Value.CompanyZone();

    /// <summary>A Monday 10:00 in Shanghai: outside quiet hours.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Starts a host on <paramref name="port"/> (0: any) with <paramref name="settings"/> (<c>Section:Key=value</c>), on
    /// a SQLite file, or on a PostgreSQL database of its own when <paramref name="postgres"/>; <paramref name="configure"/> adds to
    /// the host's services (a log capture).
    /// </summary>
    public static async Task<FunctionsHost> StartAsync(IEnumerable<string> settings, int port = 0, ManualClock? clock = null, bool postgres = false,
        Action<WebApplicationBuilder>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-functions-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite(root);
        clock ??= new ManualClock(DefaultStart);
        var url = $"http://127.0.0.1:{port}";
        string[] args =
        [
            $"--urls={url}",
            .. database.Settings.Select(s => "--" + s),
            $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
            "--Functions:Timers:PollInterval=00:00:00.2",
            "--Logging:Format=simple",
            $"--Hub:Clients:{ClientId}:SecretHash={ClientSecretHash}",
            $"--Hub:Clients:{ClientId}:Scopes:0={NotificationsAccess.WriteScope}",
            $"--Hub:Clients:{ReadOnlyClientId}:SecretHash={ClientSecretHash}",
            $"--Hub:Clients:{ReadOnlyClientId}:Scopes:0={NotificationsAccess.ReadScope}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => "--" + s),
        ];
        var app = HubApp.Build(args, url, [new FunctionsModule(), new SchedulerModule()], b =>
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            configure?.Invoke(b);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
            throw;
        }
        return new FunctionsHost(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(), root,
            database, clock);
    }

    /// <summary>Publishes <paramref name="message"/> on the bus, as another host would.</summary>
    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        App.Services.GetRequiredService<IBus>().Publish(message, ctx =>
        {
            if (messageId is { } id)
                ctx.MessageId = id;
        });

    /// <summary>Waits until every consumer that received message <paramref name="messageId"/> has finished with it (the inbox says so).</summary>
    public Task WaitUntilConsumed(Guid messageId, int receives = 1) =>
        Hub.TestSupport.Eventually.Get(() => Query(db => db.InboxStates.AsNoTracking().Where(s => s.MessageId == messageId).ToListAsync()),
            rows => rows.Count > 0 && rows.All(r => r.Consumed != null) && rows.Sum(r => r.ReceiveCount) >= receives,
            TimeSpan.FromSeconds(30), $"message {messageId} consumed");

    /// <summary>Runs <paramref name="query"/> on a fresh database context.</summary>
    public async Task<T> Query<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>The notifications about <paramref name="subject"/> (an order number, a ticket number).</summary>
    public Task<Notification[]> Notifications(string subject) =>
        Query(db => db.Set<Notification>().AsNoTracking().Where(n => n.Subject == subject).ToArrayAsync());

    /// <summary>Waits until the notifications about <paramref name="subject"/> satisfy <paramref name="done"/>.</summary>
    public Task<Notification[]> WaitForNotifications(string subject, Func<Notification[], bool> done, string what, int seconds = 30) =>
        Hub.TestSupport.Eventually.Get(() => Notifications(subject), done, TimeSpan.FromSeconds(seconds), what);

    /// <summary>The CRM as a partner system, allowed to register recipients and start campaigns.</summary>
    public const string ClientId = "crm";
    /// <summary>A reporting tool, allowed to read notifications only.</summary>
    public const string ReadOnlyClientId = "reports";
    /// <summary>Both clients' secret.</summary>
    public const string ClientSecret = "secret-of-the-test-clients";
    private static readonly string ClientSecretHash = Hub.Infrastructure.Access.PasswordDigest.Hash(ClientSecret);

    /// <summary>An HTTP client on the host, signed in as <paramref name="clientId"/> (HTTP Basic); null: anonymous.</summary>
    public HttpClient Http(string? clientId = ClientId, string secret = ClientSecret)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (clientId is not null)
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The durable scheduler (in the distributed mode the Endpoints host runs it): scheduled redelivery needs it.</summary>
    private sealed class SchedulerModule : IHubModule
    {
        public string Name => "Scheduler";
        public void AddServices(WebApplicationBuilder builder) { }
        public void AddBus(IBusRegistrationConfigurator bus) => bus.AddHubScheduler();
        public void Map(WebApplication app) { }
    }
}
