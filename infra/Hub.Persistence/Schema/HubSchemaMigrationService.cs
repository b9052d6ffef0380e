using Microsoft.Extensions.Hosting;

namespace Hub.Persistence;

/// <summary>
/// Runs <see cref="HubSchemaMigrator"/> in <see cref="StartAsync"/>. <c>AddHubStore</c> registers it as the first
/// hosted service, so the schema is current before later hosted services (the MassTransit bus) start.
/// </summary>
public sealed class HubSchemaMigrationService(HubSchemaMigrator migrator) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
