using Crm.Contracts.Operations;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Ops;

/// <summary>
/// One alert from its start to its end (table <c>ops_alert</c>): raised when it first holds, cleared when it no longer
/// does. <see cref="OpenKey"/> (<c>kind|subject</c> while open, null after) is unique, so of several Adapters instances
/// watching at once only one opens the episode.
/// </summary>
public sealed class OpsAlertEpisode
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Text { get; set; } = "";
    /// <summary>Since when the condition holds, as evaluated (UTC).</summary>
    public DateTime Since { get; set; }
    public DateTime RaisedAt { get; set; }
    public DateTime? ClearedAt { get; set; }
    public string? OpenKey { get; set; }
    /// <summary>When <see cref="OperationsAlertRaised"/> went out; null until it did (then it is sent again).</summary>
    public DateTime? RaisedPublishedAt { get; set; }
    /// <summary>When <see cref="OperationsAlertCleared"/> went out.</summary>
    public DateTime? ClearedPublishedAt { get; set; }
}

/// <summary>
/// Evaluates the operations alerts every <see cref="OpsAlertOptions.EvaluateInterval"/> and tells the on-call staff:
/// <see cref="OperationsAlertRaised"/> when an alert begins, <see cref="OperationsAlertCleared"/> when it ends (the
/// notification functions deliver them). An event that could not be published is published on a later round.
/// </summary>
internal sealed class OnCallAlerting(IServiceScopeFactory scopes, IOptions<OpsAlertOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<OnCallAlerting> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.EvaluateInterval, async ct => { await RoundAsync(ct); return 0; }, logger, "operations alert evaluation",
            stoppingToken);

    /// <summary>One round: open new episodes, close ended ones, publish what has not gone out yet.</summary>
    internal async Task RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<HubDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var alerts = await AlertsApi.Evaluate(db, services.GetRequiredService<QueueDepths>(), options.Value, now, ct);
        var holding = alerts.ToDictionary(a => Key(a.Kind, a.Subject));
        var open = await db.Set<OpsAlertEpisode>().Where(e => e.OpenKey != null).ToListAsync(ct);

        foreach (var episode in open.Where(e => !holding.ContainsKey(e.OpenKey!)))
        {
            episode.ClearedAt = now;
            episode.OpenKey = null;
        }
        await db.SaveChangesAsync(ct);
        foreach (var (key, alert) in holding.Where(h => open.All(e => e.OpenKey != h.Key)))
        {
            var episode = new OpsAlertEpisode
            {
                Id = NewId.NextGuid(), Kind = alert.Kind, Subject = alert.Subject, Text = alert.Text, Since = alert.Since, RaisedAt = now, OpenKey = key,
            };
            db.Add(episode);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance opened this episode first.
                db.Entry(episode).State = EntityState.Detached;
            }
        }

        var bus = services.GetRequiredService<IPublishEndpoint>();
        var unpublished = await db.Set<OpsAlertEpisode>()
            .Where(e => e.RaisedPublishedAt == null || (e.ClearedAt != null && e.ClearedPublishedAt == null)).ToListAsync(ct);
        foreach (var episode in unpublished)
        {
            if (episode.RaisedPublishedAt is null)
            {
                await bus.Publish(new OperationsAlertRaised(episode.Id, episode.Kind, episode.Subject, episode.Text,
                    new DateTimeOffset(episode.Since, TimeSpan.Zero), new DateTimeOffset(episode.RaisedAt, TimeSpan.Zero)), ct);
                episode.RaisedPublishedAt = now;
                logger.LogWarning("Operations alert raised: [{Kind}] {Text}", episode.Kind, episode.Text);
            }
            if (episode.ClearedAt is { } cleared && episode.ClearedPublishedAt is null)
            {
                await bus.Publish(new OperationsAlertCleared(episode.Id, episode.Kind, episode.Subject, new DateTimeOffset(cleared, TimeSpan.Zero)), ct);
                episode.ClearedPublishedAt = now;
                logger.LogInformation("Operations alert cleared: [{Kind}] {Subject}", episode.Kind, episode.Subject);
            }
            await db.SaveChangesAsync(ct);
        }
    }

    private static string Key(string kind, string subject) => $"{kind}|{subject}";
}
