using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Mobile;

/// <summary>
/// How long the first answers to mobile POSTs are kept for replay (section <c>Mobile:Idempotency</c>). A phone retries
/// within minutes; a day covers a phone that was switched off overnight with a request in flight.
/// </summary>
public sealed class IdempotencyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mobile:Idempotency";

    /// <summary>Age after which a stored answer is deleted; a retry after that runs again.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often old answers are deleted.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Deletes <see cref="IdempotentRequest"/> rows older than <see cref="IdempotencyOptions.Retention"/>, in the background.</summary>
public sealed class IdempotencyRetention(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider clock,
    ILogger<IdempotencyRetention> logger) : BackgroundService
{
    /// <summary>Deletes what is older than the retention now; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<IdempotentRequest>()
            .Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        if (purged > 0)
            logger.LogInformation("Purged {Count} idempotency keys first seen before {Cutoff:o}", purged, cutoff);
        return purged;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PurgeAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store may be briefly away; the next tick tries again, and stale keys only take space meanwhile.
                    logger.LogError(ex, "Purging old idempotency keys failed; trying again in {Interval}", options.Value.PurgeInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Registers the options (validated at start) and the purge.</summary>
    public static void Register(IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<IdempotencyOptions>().Bind(config.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.Retention >= TimeSpan.FromMinutes(1), "Mobile:Idempotency:Retention must be at least one minute (phones retry for minutes).")
            .Validate(o => o.PurgeInterval > TimeSpan.Zero, "Mobile:Idempotency:PurgeInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencyRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyRetention>());
    }
}
