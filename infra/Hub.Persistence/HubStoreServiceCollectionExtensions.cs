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
        if (!options.IsPostgres)
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.SqlitePath))!);
        // One interceptor instance for every context of this store, as EF expects of options built per scope.
        var setup = new SqliteConnectionSetup(options.SqliteBusyTimeout);
        services.AddDbContext<HubDbContext>(o => Configure(o, options, options.IsPostgres ? null : options.SqlitePath, setup)
            .AddInterceptors(ChangeHistoryRecorder));
        services.TryAddSingleton<HubModuleStore>();

        services.AddSingleton<IHubStoreModel, History.ChangeHistoryStoreModel>();
        services.TryAddSingleton<HubSchemaMigrator>();
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(HubSchemaMigrationService)))
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, HubSchemaMigrationService>());
        services.TryAddScoped<IOutboxContextFactory<HubDbContext>, HubOutboxContextFactory>();
        return services;
    }

    /// <summary>
    /// Points <paramref name="o"/> at the store: PostgreSQL, or the SQLite file <paramref name="sqliteFile"/> (the main
    /// file or a module's own, <see cref="IHubStoreModel.OwnSqliteFile"/>), each connection prepared for several writers.
    /// </summary>
    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder o, HubStoreOptions options, string? sqliteFile,
        SqliteConnectionSetup setup)
    {
        if (options.IsPostgres)
            return o.UseNpgsql(options.PostgresConnectionString!)
                .ReplaceService<IModelCacheKeyFactory, HubModelCacheKeyFactory>();
        var path = Path.GetFullPath(sqliteFile ?? options.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = (int)Math.Ceiling(options.SqliteBusyTimeout.TotalSeconds),
            Pooling = true,
        }.ToString();
        return o.UseSqlite(connectionString)
            .AddInterceptors(setup)
            .ReplaceService<IModelCacheKeyFactory, HubModelCacheKeyFactory>();
    }

    // Stateless: each save asks its own context's scope who is changing; times are UTC from the system clock.
    private static readonly History.ChangeHistoryInterceptor ChangeHistoryRecorder = new(TimeProvider.System);
}
