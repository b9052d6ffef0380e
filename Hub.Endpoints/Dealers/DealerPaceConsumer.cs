using Crm.Contracts.Dealers;
using Crm.Contracts.Notifications;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// Checks every dealer with a monthly target for the day asked against the pace rule (<c>Dealers:Pace</c>) and publishes
/// <see cref="DealerFellBehindTarget"/> for each that fell behind, once per dealer and month: the alert row and the event
/// commit together, and a dealer already alerted that month is not checked again.
/// </summary>
public sealed class DealerPaceConsumer(HubDbContext db, IOptions<DealerOptions> options, TimeProvider clock) : IConsumer<EvaluateDealerPace>
{
    public async Task Consume(ConsumeContext<EvaluateDealerPace> context)
    {
        var on = context.Message.On;
        var ct = context.CancellationToken;
        var alerted = db.Set<DealerTargetAlert>().Where(a => a.Year == on.Year && a.Month == on.Month).Select(a => a.DealerId);
        var targets = await db.Set<DealerTarget>().AsNoTracking()
            .Where(t => t.Year == on.Year && t.Month == on.Month && !alerted.Contains(t.DealerId)).ToListAsync(ct);
        if (targets.Count == 0)
            return;
        var ids = targets.Select(t => t.DealerId).ToArray();
        var entries = await DealerLedger.EntriesAsync(db, ids, on.Year, on.Month, ct);
        var dealers = await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var now = clock.GetUtcNow();
        foreach (var target in targets)
        {
            var monthToDate = DealerLedger.Total(entries.Where(e => e.DealerId == target.DealerId && e.On <= on));
            if (TargetPace.Shortfalls(target, monthToDate, on, options.Value.Pace) is not [var first, ..] || !dealers.TryGetValue(target.DealerId, out var dealer))
                continue;
            db.Add(new DealerTargetAlert
            {
                DealerId = dealer.Id, Year = on.Year, Month = on.Month, Metric = first.Measure.ToString(), Target = first.ProRataTarget, Actual = first.Actual,
                DetectedAt = now.UtcDateTime,
            });
            await context.Publish(new DealerFellBehindTarget(dealer.Code, dealer.Name, $"{on:yyyy-MM}", first.Measure.ToString(), first.ProRataTarget,
                first.Actual, dealer.OwnerSalespersonId ?? "", now));
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Asks the dealers endpoint to check the pace every <see cref="DealerOptions.PaceCheckInterval"/>, for today in the company's time zone.</summary>
public sealed class DealerPaceTimer(IBus bus, IOptions<DealerOptions> options, TimeProvider clock, ILogger<DealerPaceTimer> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.PaceCheckInterval, async ct =>
        {
            var now = clock.GetUtcNow();
            var today = options.Value.Today(now);
            // A lost send is sent again on the next tick; a repeated check alerts nobody twice.
            await (await bus.GetSendEndpoint(Hub.Infrastructure.HubQueues.Address(Hub.Infrastructure.HubQueues.Dealers))).Send(new EvaluateDealerPace(today, now), ct);
            return 0;
        }, logger, "dealer pace check", stoppingToken);
}
