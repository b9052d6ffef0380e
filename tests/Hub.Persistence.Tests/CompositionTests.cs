using Hub.Persistence.Tests.Infrastructure;
using Hub.Persistence.Tests.Model;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Persistence.Tests;

public sealed class CompositionTests
{
    [Fact]
    public async Task Model_is_composed_from_the_registered_modules_of_each_provider()
    {
        await using var database = TestDatabase.Sqlite();
        await using var withTest = Services(database, new TestStoreModel());
        await using var withoutTest = Services(database);

        using var a = withTest.CreateScope();
        using var b = withoutTest.CreateScope();
        var composed = a.ServiceProvider.GetRequiredService<HubDbContext>();
        var bare = b.ServiceProvider.GetRequiredService<HubDbContext>();

        Assert.NotNull(composed.Model.FindEntityType(typeof(CounterState)));
        Assert.Null(bare.Model.FindEntityType(typeof(CounterState)));
        Assert.NotNull(bare.Model.FindEntityType(typeof(HubOutboxMessage)));
        Assert.Equal("hub_outbox_message", bare.Model.FindEntityType(typeof(HubOutboxMessage))!.GetTableName());
    }

    [Fact]
    public async Task Sqlite_connections_use_wal_and_a_busy_timeout()
    {
        await using var database = TestDatabase.Sqlite();
        database.Options.SqliteBusyTimeout = TimeSpan.FromSeconds(7);
        await using var services = Services(database);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await Pragma(db, "journal_mode"));
        Assert.Equal("7000", await Pragma(db, "busy_timeout"));
    }

    [Fact]
    public async Task Saga_without_a_version_concurrency_token_is_rejected()
    {
        await using var database = TestDatabase.Sqlite();
        await using var services = Services(database, new UnversionedSagaModel());
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();

        var error = Assert.Throws<ConfigurationException>(() =>
            new HubSagaRepositoryContextFactory<CounterState>(db, new SagaConsumeContextFactory<HubDbContext, CounterState>()));

        Assert.Contains("Version as a concurrency token", error.Message);
    }

    private static async Task<string?> Pragma(HubDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static ServiceProvider Services(TestDatabase database, params IHubStoreModel[] models)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddHubStore(database.Options);
        foreach (var model in models)
            services.AddSingleton(model);
        return services.BuildServiceProvider();
    }

    private sealed class UnversionedSagaModel : IHubStoreModel
    {
        public string Module => "unversioned";
        public void Configure(ModelBuilder model) => model.Entity<CounterState>(e => e.HasKey(s => s.CorrelationId));
        public IReadOnlyList<HubSchemaMigration> Migrations => [];
    }
}
