using Hub.Persistence.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Persistence;

/// <summary>
/// Runs <see cref="HubSchemaMigrator"/> in <see cref="StartAsync"/>, then checks that the column keys open what the store
/// holds. <c>AddHubStore</c> registers it as the first hosted service, so the schema is current (and a missing or wrong
/// key has stopped the host) before later hosted services (the MassTransit bus) start.
/// </summary>
public sealed class HubSchemaMigrationService(HubSchemaMigrator migrator, IServiceScopeFactory scopes, ColumnKeyRing keys,
    ILogger<HubSchemaMigrationService> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        // Every database: on SQLite the audit's sealed bodies live in a file of their own.
        foreach (var db in scope.ServiceProvider.GetRequiredService<HubModuleStore>().OpenEachDatabase())
            await using (db)
                await ColumnKeyRotation.CheckKeysAsync(db, cancellationToken);
        if (keys.KeyFile is not null)
            logger.LogWarning("Column encryption keys are kept in {KeyFile} beside the store (fine for one embedded install); back it up with the " +
                              "database, and configure {Section} in production", keys.KeyFile, ColumnEncryptionOptions.Section);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
