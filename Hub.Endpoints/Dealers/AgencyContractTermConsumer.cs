using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.Dealers;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore;
using Hub.CrmStore.Dealers;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// The agency contracts' terms (003 §3.2.4): on the day asked, every active contract past its last day expires (the domain's
/// <see cref="AgencyContract.ExpireIfDue"/>; step <c>Expired</c> in its history, <see cref="AgencyContractExpired"/>), and the owner of each
/// contract ending within <c>Dealers:Contracts:RemindDaysBefore</c> days is reminded once (<see cref="AgencyContractExpiring"/>).
/// Any number of instances may check at once: the contract's version (optimistic concurrency) lets one expiry through and sends the
/// other back to be retried, when it finds the contract expired; the reminder's key does the same for reminders. Everything a check
/// changes and publishes commits together (transactional outbox), so a failed check leaves nothing half told.
/// </summary>
public sealed class AgencyContractTermConsumer(HubDbContext db, IOptions<DealerOptions> options, TimeProvider clock) : IConsumer<CheckAgencyContractsDue>
{
    /// <summary>Recorded as the actor of the expiry step.</summary>
    public const string Actor = "agency-contract-terms";

    public async Task Consume(ConsumeContext<CheckAgencyContractsDue> context)
    {
        var on = context.Message.On;
        var ct = context.CancellationToken;
        var days = options.Value.Contracts.RemindDaysBefore;
        var horizon = on.AddDays(days);
        var contracts = await db.Set<AgencyContract>()
            .Where(c => c.Status == AgencyContractStatus.Active && c.ValidTo <= horizon).ToListAsync(ct);
        if (contracts.Count == 0)
            return;
        var ids = contracts.Select(c => c.Id).ToArray();
        var reminded = (await db.Set<AgencyContractReminder>().AsNoTracking().Where(r => ids.Contains(r.ContractId)).Select(r => r.ContractId)
            .ToListAsync(ct)).ToHashSet();
        var dealerIds = contracts.Select(c => c.DealerId).Distinct().ToArray();
        var dealers = await db.Set<Customer>().AsNoTracking().Where(c => dealerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var now = clock.GetUtcNow();
        foreach (var contract in contracts)
        {
            var dealer = dealers[contract.DealerId];
            var owner = dealer.OwnerSalespersonId ?? "";
            if (contract.ExpireIfDue(on))
            {
                var version = db.NextVersion(contract);
                var sequence = await db.Set<AgencyContractStep>().CountAsync(s => s.ContractId == contract.Id, ct) + 1;
                await AgencyContractSteps.Record(db, context, Derived(contract.Id, "expired"), contract, dealer, "Expired", nameof(AgencyContractStatus.Active),
                    Actor, $"ended on {contract.ValidTo:yyyy-MM-dd}", version, sequence, now);
                await context.Publish(new AgencyContractExpired(contract.Id, contract.Number, dealer.Id, dealer.Code, dealer.Name, contract.Territory,
                    contract.ValidTo, owner, version, now));
            }
            else if (contract.EndsWithin(on, days) && !reminded.Contains(contract.Id))
            {
                db.Add(new AgencyContractReminder { ContractId = contract.Id, ValidTo = contract.ValidTo, RemindedOn = on, RemindedAt = now.UtcDateTime });
                await context.Publish(new AgencyContractExpiring(contract.Id, contract.Number, dealer.Id, dealer.Code, dealer.Name, contract.Territory,
                    contract.ValidTo, contract.ValidTo.DayNumber - on.DayNumber, owner, now));
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The command id of a step the check takes: the same contract and step always name the same id.</summary>
    private static Guid Derived(Guid contractId, string name) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"crm-agency-contract-terms:{contractId:N}:{name}")).AsSpan(0, 16));
}

/// <summary>The term check runs on the dealers endpoint.</summary>
public sealed class AgencyContractTermConsumerDefinition : ConsumerDefinition<AgencyContractTermConsumer>
{
    public AgencyContractTermConsumerDefinition() => EndpointName = HubQueues.Dealers;
}

/// <summary>
/// Asks the dealers endpoint to check the agency contracts' terms every <see cref="AgencyContractTermOptions.CheckInterval"/>, for today in the
/// company's time zone. Every instance asks; a repeated check changes nothing more, and a lost one is made up by the next tick (nothing is
/// held in memory, so a restart loses nothing).
/// </summary>
public sealed class AgencyContractTermTimer(IBus bus, IOptions<DealerOptions> options, TimeProvider clock, ILogger<AgencyContractTermTimer> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.Run(lifetime, options.Value.Contracts.CheckInterval, async ct =>
        {
            var now = clock.GetUtcNow();
            await (await bus.GetSendEndpoint(HubQueues.Address(HubQueues.Dealers))).Send(new CheckAgencyContractsDue(options.Value.Today(now), now), ct);
            return 0;
        }, logger, "agency contract term check", stoppingToken);
}
