using Hub.Endpoints;
using Hub.Persistence;
using Hub.Persistence.Tests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests;

/// <summary>
/// The Endpoints host's consumers on MassTransit's test harness, over a real SQLite store composed as the host composes
/// it: for consumer tests that send a command and read the store.
/// </summary>
public sealed class EndpointsHarness : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly WebApplication _app;

    private EndpointsHarness(TestDatabase database, WebApplication app, ITestHarness harness)
    {
        _database = database;
        _app = app;
        Harness = harness;
    }

    /// <summary>The running harness.</summary>
    public ITestHarness Harness { get; }

    /// <summary>Builds, migrates and starts it, with <paramref name="settings"/> (<c>Section:Key</c> = value) over the defaults.</summary>
    public static async Task<EndpointsHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = TestDatabase.Sqlite();
        var builder = WebApplication.CreateBuilder();
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        // The harness starts the host's services, the web server among them: a free port, so test classes running side by side never clash.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var endpoints = new EndpointsModule();
        endpoints.AddServices(builder);
        builder.Services.AddHubStore(database.Options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMassTransitTestHarness(x =>
        {
            endpoints.AddBus(x);
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        var app = builder.Build();
        await app.Services.GetRequiredService<HubSchemaMigrator>().MigrateAsync();
        var harness = app.Services.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromSeconds(20);
        await harness.Start();
        return new EndpointsHarness(database, app, harness);
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
        await _database.DisposeAsync();
    }
}
