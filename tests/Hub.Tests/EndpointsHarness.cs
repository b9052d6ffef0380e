using Hub.Endpoints;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hub.Tests;

/// <summary>
/// The Endpoints host's consumers on MassTransit's test harness, over a real SQLite store composed as the host composes
/// it: for consumer tests that send a command and read the store.
/// </summary>
public sealed class EndpointsHarness : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly WebApplication _app;

    private EndpointsHarness(TestDatabase database, bool ownsDatabase, WebApplication app, ITestHarness harness)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _app = app;
        Harness = harness;
    }

    /// <summary>The running harness.</summary>
    public ITestHarness Harness { get; }

    /// <summary>
    /// Builds, migrates and starts it, with <paramref name="settings"/> as configuration, on <paramref name="database"/> when
    /// given (left to the caller, e.g. to start a second harness on it as a restarted host) or a SQLite file of its own.
    /// Sagas are kept in the store and deadlines in the durable scheduler, as the hosts keep them. <paramref name="clock"/> is the
    /// hosts' time (the system clock when not given).
    /// </summary>
    public static async Task<EndpointsHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null,
        TimeProvider? clock = null)
    {
        // MassTransit keeps the log context of the last bus started in this async flow: a harness started after another one was
        // disposed (a restarted host) must not log through the disposed one's logger factory.
        LogContext.Current = null;
        var ownsDatabase = database is null;
        database ??= TestDatabase.Sqlite();
        var builder = WebApplication.CreateBuilder();
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        // The harness starts the host's services, the web server among them: a free port, so test classes running side by side never clash.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var endpoints = new EndpointsModule();
        endpoints.AddServices(builder);
        builder.Services.AddHubStore(database.Options);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.SetHubSagaRepositoryProvider();
            endpoints.AddBus(x);
            x.AddMessageScheduler(HubScheduler.Address);
            x.UsingInMemory((context, cfg) =>
            {
                cfg.UseMessageScheduler(HubScheduler.Address);
                // As the hosts do: a saga conflict is retried, and what a consumer sends leaves only once it succeeded (an
                // in-memory outbox stands in for the store's), so an attempt that lost a conflict sends nothing.
                cfg.UseMessageRetry(r => r.Intervals(50, 100, 200, 500, 1000, 2000));
                cfg.UseInMemoryOutbox(context);
                cfg.ConfigureEndpoints(context);
            });
        });
        var app = builder.Build();
        await app.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        var harness = app.Services.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromSeconds(20);
        await harness.Start();
        // The harness starts the hosted services but not the host: tell the background loops (the durable scheduler's
        // delivery among them), which wait for the host to have started, that it has.
        (app.Services.GetRequiredService<IHostApplicationLifetime>() as Microsoft.Extensions.Hosting.Internal.ApplicationLifetime)?.NotifyStarted();
        return new EndpointsHarness(database, ownsDatabase, app, harness);
    }

    /// <summary>Sends <paramref name="command"/> as a request and returns whichever of the two answers came.</summary>
    public async Task<object> Send<T, TAccepted, TRejected>(T command) where T : class where TAccepted : class where TRejected : class =>
        (await Harness.GetRequestClient<T>().GetResponse<TAccepted, TRejected>(command)).Message;

    /// <summary>Runs <paramref name="query"/> on a fresh context of the store.</summary>
    public async Task<T> Read<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }
}
