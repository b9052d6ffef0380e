using Microsoft.Extensions.DependencyInjection;

namespace Hub.Persistence.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("mysql", null, null, "must be 'sqlite' or 'postgres', not 'mysql'")]
    [InlineData("", null, null, "Provider is required")]
    [InlineData("postgres", null, null, "PostgresConnectionString is required")]
    [InlineData("postgres", null, "Host=x;Bogus Key=1", "not a valid Npgsql connection string")]
    [InlineData("sqlite", "", null, "SqlitePath is required")]
    public void Invalid_store_options_are_rejected_with_a_clear_message(string provider, string? path, string? connectionString, string expected)
    {
        var options = new HubStoreOptions { Provider = provider, SqlitePath = path ?? "data/hub.db", PostgresConnectionString = connectionString };

        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHubStore(options));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Sqlite_store_creates_the_database_directory()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hub-persistence-tests", Guid.NewGuid().ToString("N"), "nested");
        new ServiceCollection().AddHubStore(new HubStoreOptions { SqlitePath = Path.Combine(folder, "hub.db") });
        Assert.True(Directory.Exists(folder));
        Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
    }

    [Fact]
    public void Migration_plan_rejects_duplicate_versions()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubStore(new HubStoreOptions { SqlitePath = Path.Combine(Path.GetTempPath(), "hub-persistence-tests", "unused.db") });
        services.AddSingleton<IHubStoreModel>(new BrokenModel());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HubSchemaMigrator>().Plan());

        Assert.Contains("two migrations with version 1", error.Message);
    }

    private sealed class BrokenModel : IHubStoreModel
    {
        public string Module => "broken";
        public void Configure(Microsoft.EntityFrameworkCore.ModelBuilder model) { }
        public IReadOnlyList<HubSchemaMigration> Migrations { get; } = [new("broken", 1, "a", _ => { }), new("broken", 1, "b", _ => { })];
    }
}
