using System.Runtime.CompilerServices;
using Hub.Persistence.Tests.Model;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Persistence.Tests.Infrastructure;

public sealed class TestHubOptions
{
    /// <summary>Put every endpoint behind the hub inbox/outbox.</summary>
    public bool Outbox { get; set; } = true;

    /// <summary>Register the counter saga.</summary>
    public bool Saga { get; set; } = true;

    public Action<HubInboxOutboxOptions>? InboxOutbox { get; set; }
}

/// <summary>A real generic host with the hub store, MassTransit's in-memory transport, the saga, inbox/outbox and scheduler.</summary>
public sealed class TestHub : IAsyncDisposable
{
    private readonly IHost _host;

    private TestHub(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<TestHub> Start(TestDatabase database, TestHubOptions? options = null)
    {
        options ??= new TestHubOptions();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // HUB_TEST_LOG=Information (or another level) writes the hosts' logs to the console.
        var logLevel = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("HUB_TEST_LOG"), out var level) ? level : LogLevel.Warning;
        builder.Logging.SetMinimumLevel(logLevel);
        if (Environment.GetEnvironmentVariable("HUB_TEST_LOG") is not null)
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHubStore(database.Options);
        builder.Services.AddSingleton<IHubStoreModel, TestStoreModel>();
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.SetHubSagaRepositoryProvider();
            x.AddHubInboxOutbox(o =>
            {
                o.SweepInterval = TimeSpan.FromMilliseconds(100);
                options.InboxOutbox?.Invoke(o);
            });
            x.AddHubScheduler(o => o.PollInterval = TimeSpan.FromMilliseconds(50));
            x.AddMessageScheduler(HubScheduler.Address);

            x.AddConsumer<RecordThingConsumer>();
            x.AddConsumer<ThingRecordedConsumer>();
            x.AddConsumer<RecordThingFaultConsumer>();
            x.AddConsumer<CounterChangedConsumer>();
            x.AddConsumer<FlakyThingConsumer>();
            if (options.Saga)
                x.AddSagaStateMachine<CounterStateMachine, CounterState>();

            x.AddConfigureEndpointsCallback((context, name, e) =>
            {
                e.ConcurrentMessageLimit = 8;
                if (name == "flaky-thing")
                    e.UseScheduledRedelivery(r => r.Intervals(TimeSpan.FromMilliseconds(200)));
                e.UseMessageRetry(r =>
                {
                    r.Intervals(10, 20, 50, 100, 100, 200, 200, 300);
                    r.HandleHubStoreConflicts();
                    r.Handle<InvalidOperationException>();
                });
                if (options.Outbox)
                    e.UseHubInboxOutbox(context);
            });
            x.UsingInMemory((context, cfg) =>
            {
                cfg.UseMessageScheduler(HubScheduler.Address);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);

        var host = builder.Build();
        await host.StartAsync();
        return new TestHub(host);
    }

    public async Task<T> Db<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    public Task<CounterState?> Counter(Guid id) =>
        Db(db => db.Set<CounterState>().AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == id));

    public async Task Send<T>(string queue, T message, Guid? messageId = null) where T : class
    {
        var endpoint = await Bus.GetSendEndpoint(new Uri("queue:" + queue));
        await endpoint.Send(message, c =>
        {
            if (messageId.HasValue)
                c.MessageId = messageId;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

internal static class TestSetup
{
    [ModuleInitializer]
    internal static void DisableTelemetry() => Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
}
