using Crm.Contracts.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore;
using Hub.CrmStore.Dealers;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// The dealer records follow a customer merge (<see cref="CustomersMerged"/>): the duplicate's inspection visits, negotiations,
/// agency contracts (with their approval steps, which hang off the contract), targets, achievement ledger and pace alerts move to
/// the survivor, in one transaction. The merge was refused up front when both had a target for one period
/// (<see cref="DealerMerge.Check"/>); a pace alert of a month the survivor was already alerted for is dropped (one alert per dealer
/// and month). A repeated or late delivery finds nothing of the duplicate left and changes nothing; contracts and targets keep
/// their change history, which records the move with the merge message.
/// </summary>
public sealed class DealerMergeConsumer(HubDbContext db) : IConsumer<CustomersMerged>
{
    public async Task Consume(ConsumeContext<CustomersMerged> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var (from, to) = (m.DuplicateId, m.SurvivorId);
        var moved = 0;
        foreach (var visit in await db.Set<InspectionVisit>().Where(v => v.DealerId == from).ToListAsync(ct))
        {
            visit.MoveToDealer(to);
            moved++;
        }
        foreach (var talk in await db.Set<NegotiationRecord>().Where(n => n.DealerId == from).ToListAsync(ct))
        {
            talk.MoveToDealer(to);
            moved++;
        }
        foreach (var contract in await db.Set<AgencyContract>().Where(c => c.DealerId == from).ToListAsync(ct))
        {
            contract.MoveToDealer(to);
            db.NextVersion(contract);
            moved++;
        }
        var targets = await db.Set<DealerTarget>().Where(t => t.DealerId == from || t.DealerId == to).ToListAsync(ct);
        var survivorPeriods = targets.Where(t => t.DealerId == to).Select(t => (t.Year, t.Month)).ToHashSet();
        foreach (var target in targets.Where(t => t.DealerId == from))
        {
            // Only a target set on the duplicate after the merge was checked could clash; it is not overwritten silently.
            if (survivorPeriods.Contains((target.Year, target.Month)))
                throw new InvalidOperationException(
                    $"Dealer {m.DuplicateCode} and its survivor {m.SurvivorCode} both have a target for {target.Year}/{target.Month?.ToString() ?? "annual"}; settle one and redeliver the merge.");
            target.MoveToDealer(to);
            db.NextVersion(target);
            moved++;
        }
        foreach (var entry in await db.Set<DealerAchievementEntry>().Where(e => e.DealerId == from).ToListAsync(ct))
        {
            (entry.DealerId, entry.DealerCode) = (to, m.SurvivorCode);
            moved++;
        }
        var alerts = await db.Set<DealerTargetAlert>().Where(a => a.DealerId == from || a.DealerId == to).ToListAsync(ct);
        foreach (var alert in alerts.Where(a => a.DealerId == from))
        {
            // The dealer is part of the key: the alert is written again under the survivor, unless it was alerted that month itself.
            db.Remove(alert);
            if (!alerts.Any(a => a.DealerId == to && a.Year == alert.Year && a.Month == alert.Month))
                db.Add(new DealerTargetAlert
                {
                    DealerId = to, Year = alert.Year, Month = alert.Month, Metric = alert.Metric, Target = alert.Target, Actual = alert.Actual,
                    DetectedAt = alert.DetectedAt,
                });
            moved++;
        }
        if (moved > 0)
            await db.SaveChangesAsync(ct);
    }
}

/// <summary>Follows merges on the dealers endpoint, beside the dealer commands.</summary>
public sealed class DealerMergeConsumerDefinition : ConsumerDefinition<DealerMergeConsumer>
{
    public DealerMergeConsumerDefinition() => EndpointName = HubQueues.Dealers;
}
