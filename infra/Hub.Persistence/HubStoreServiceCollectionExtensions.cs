using MassTransit.Middleware;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hub.Persistence;

/// <summary>Registration of the hub store.</summary>
public static class HubStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HubDbContext"/> (scoped) on SQLite or PostgreSQL, the <see cref="HubSchemaMigrator"/>
    /// and <see cref="HubSchemaMigrationService"/> (placed first among hosted services, so the schema is current
    /// before the bus starts), and the outbox context factory used by <c>UseHubInboxOutbox</c>.
    /// Register modules with <c>services.AddSingleton&lt;IHubStoreModel, ...&gt;()</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or invalid.</exception>
    public static IServiceCollection AddHubStore(this IServiceCollection services, HubStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.AddSingleton(options);
        // Checked here, at start: a missing or malformed key stops the host with the setting's name.
        services.AddSingleton(Encryption.ColumnKeyRing.Load(options.ColumnEncryption, options.DefaultColumnKeyFile));
        if (options.IsPostgres)
        {
            var connectionString = options.PostgresConnectionString!;
            services.AddDbContext<HubDbContext>(o => o
                .UseNpgsql(connectionString)
                .AddInterceptors(ChangeHistoryRecorder)
                .ReplaceService<IModelCacheKeyFactory, HubModelCacheKeyFactory>());
        }
        else
        {
            var path = Path.GetFullPath(options.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                DefaultTimeout = (int)Math.Ceiling(options.SqliteBusyTimeout.TotalSeconds),
                Pooling = true,
            }.ToString();
            var setup = new SqliteConnectionSetup(options.SqliteBusyTimeout);
            services.AddDbContext<HubDbContext>(o => o
                .UseSqlite(connectionString)
                .AddInterceptors(setup, ChangeHistoryRecorder)
                .ReplaceService<IModelCacheKeyFactory, HubModelCacheKeyFactory>());
        }

        services.AddSingleton<IHubStoreModel, History.ChangeHistoryStoreModel>();
        services.TryAddSingleton<HubSchemaMigrator>();
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(HubSchemaMigrationService)))
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, HubSchemaMigrationService>());
        services.TryAddScoped<IOutboxContextFactory<HubDbContext>, HubOutboxContextFactory>();
        return services;
    }

    // Stateless: each save asks its own context's scope who is changing; times are UTC from the system clock.
    private static readonly History.ChangeHistoryInterceptor ChangeHistoryRecorder = new(TimeProvider.System);
}
