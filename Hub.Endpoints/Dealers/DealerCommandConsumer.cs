using Hub.Infrastructure;
using static Hub.Endpoints.Dealers.DealerCommands;
using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.Dealers;
using Crm.Contracts.Notifications;
using Crm.Domain;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.CrmStore;
using Hub.CrmStore.Dealers;
using Hub.Endpoints.Customers;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// Records what the channel department does with a dealer (003 §3.2): inspection visits, negotiations, the agency contract and its
/// approval, the targets. Each command loads, asks the domain, saves and publishes, all committing together (transactional
/// outbox); the same command id again changes nothing and gets the first answer.
/// </summary>
public sealed class DealerCommandConsumer(HubDbContext db, TimeProvider clock) :
    IConsumer<RecordInspectionVisit>,
    IConsumer<RecordNegotiation>,
    IConsumer<DraftAgencyContract>,
    IConsumer<ReviseAgencyContract>,
    IConsumer<SubmitAgencyContract>,
    IConsumer<ApproveAgencyContract>,
    IConsumer<RejectAgencyContract>,
    IConsumer<SignAgencyContract>,
    IConsumer<SetDealerTarget>
{
    /// <summary>The role that decides on agency contracts (the mobile users' <c>manager</c>).</summary>
    public const string DeciderRole = "manager";

    public async Task Consume(ConsumeContext<RecordInspectionVisit> context)
    {
        var m = context.Message;
        if (await Outcome.AnsweredBefore(context, db, m.CommandId) || await Outcome.AlreadyCreated<InspectionVisit>(context, db, m.CommandId, m.VisitId, versioned: false))
            return;
        if (await LoadDealer(context, m.CommandId, m.DealerId) is not { } dealer)
            return;
        InspectionVisit visit;
        try
        {
            visit = InspectionVisit.Record(m.VisitId, dealer, m.Actor, m.VisitedOn,
                m.Scores?.Select(s => new InspectionScore(s.Criterion, s.Weight, s.Score)).ToArray()!, m.Notes);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, m.CommandId, violation);
            return;
        }
        db.Add(visit);
        await context.Publish(new InspectionVisitRecorded(visit.Id, dealer.Id, dealer.Code, visit.VisitedOn, visit.InspectorId, visit.WeightedTotal, clock.GetUtcNow()));
        await Outcome.Accept(context, db, m.CommandId, visit.Id, 1);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<RecordNegotiation> context)
    {
        var m = context.Message;
        if (await Outcome.AnsweredBefore(context, db, m.CommandId) || await Outcome.AlreadyCreated<NegotiationRecord>(context, db, m.CommandId, m.NegotiationId, versioned: false))
            return;
        if (await LoadDealer(context, m.CommandId, m.DealerId) is not { } dealer)
            return;
        NegotiationRecord record;
        try
        {
            record = NegotiationRecord.Record(m.NegotiationId, dealer, m.HeldOn, m.Actor, m.Participants,
                m.Terms?.Select(t => new NegotiatedTerm(t.Topic, t.Settlement)).ToArray()!, EnumNames.ParseOrUnknown<NegotiationOutcome>(m.Outcome));
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, m.CommandId, violation);
            return;
        }
        db.Add(record);
        await context.Publish(new NegotiationRecorded(record.Id, dealer.Id, dealer.Code, record.HeldOn, record.Outcome.ToString(), record.RecordedBy, clock.GetUtcNow()));
        await Outcome.Accept(context, db, m.CommandId, record.Id, 1);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DraftAgencyContract> context)
    {
        var m = context.Message;
        if (await Outcome.AnsweredBefore(context, db, m.CommandId) || await Outcome.AlreadyCreated<AgencyContract>(context, db, m.CommandId, m.ContractId))
            return;
        if (await LoadDealer(context, m.CommandId, m.DealerId) is not { } dealer)
            return;
        AgencyContract contract;
        try
        {
            // The negotiation a contract follows from must be one held with the same dealer.
            var negotiation = m.NegotiationId is { } id
                ? await db.Set<NegotiationRecord>().AsNoTracking().AnyAsync(n => n.Id == id && n.DealerId == dealer.Id, context.CancellationToken)
                : true;
            contract = AgencyContract.Draft(m.ContractId, dealer, m.Territory, m.ValidFrom, m.ValidTo, m.Terms, m.Actor, m.NegotiationId);
            new RuleCheck().Require(negotiation, "negotiationId", $"no negotiation {m.NegotiationId} with dealer {dealer.Code}").ThrowIfBroken();
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, m.CommandId, violation);
            return;
        }
        db.Add(contract);
        db.Entry(contract).Property<long>(CrmStoreModels.Version).CurrentValue = 1;
        await Record(context, m.CommandId, contract, dealer, "Drafted", null, m.Actor, null, 1, 1);
        await Outcome.Accept(context, db, m.CommandId, contract.Id, 1);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ReviseAgencyContract> context)
    {
        var m = context.Message;
        return Step(context, "Revised", (c, _) => c.Revise(m.Territory, m.ValidFrom, m.ValidTo, m.Terms));
    }

    /// <summary>Sends the draft for approval and asks each manager named for it (push and notification).</summary>
    public Task Consume(ConsumeContext<SubmitAgencyContract> context)
    {
        var m = context.Message;
        return Step(context, "Submitted", (c, _) =>
        {
            new RuleCheck().Require(m.Approvers is { Count: > 0 and <= 20 }, "approvers", "name 1 to 20 managers who may decide").ThrowIfBroken();
            c.Submit(m.Actor, clock.GetUtcNow());
        }, async (c, sequence) =>
        {
            foreach (var approver in m.Approvers.Where(a => !string.Equals(a, m.Actor, StringComparison.OrdinalIgnoreCase)).Distinct())
                await context.Publish(new ApprovalRequested(Derived(c.Id, $"approval:{sequence}:{approver}"), "agency-contract", c.Number, approver, m.Actor,
                    clock.GetUtcNow()));
        });
    }

    public Task Consume(ConsumeContext<ApproveAgencyContract> context)
    {
        var m = context.Message;
        return Step(context, "Approved", (c, dealer) =>
        {
            RequireDecider(m.ActorRole, m.ActorRegion, dealer);
            c.Approve(m.Actor, clock.GetUtcNow());
        });
    }

    public Task Consume(ConsumeContext<RejectAgencyContract> context)
    {
        var m = context.Message;
        return Step(context, "Rejected", (c, dealer) =>
        {
            RequireDecider(m.ActorRole, m.ActorRegion, dealer);
            c.Reject(m.Actor, m.Reason, clock.GetUtcNow());
        }, reason: m.Reason);
    }

    public Task Consume(ConsumeContext<SignAgencyContract> context) =>
        Step(context, "Signed", (c, _) => c.Activate(context.Message.SignedOn));

    /// <summary>Sets the target of a period, or revises the one it has (003 §3.2.5: one target per dealer and year or month).</summary>
    public async Task Consume(ConsumeContext<SetDealerTarget> context)
    {
        var m = context.Message;
        if (await Outcome.AnsweredBefore(context, db, m.CommandId))
            return;
        if (await LoadDealer(context, m.CommandId, m.DealerId) is not { } dealer)
            return;
        var target = await db.Set<DealerTarget>().ForPeriod(dealer.Id, m.Year, m.Month).FirstOrDefaultAsync(context.CancellationToken);
        if (target is not null && m.ExpectedVersion is { } expected && expected != db.VersionOf(target))
        {
            await Outcome.RejectVersion(context, db, m.CommandId, expected, db.VersionOf(target));
            return;
        }
        try
        {
            TargetLevels Levels(DealerTargetLevels? l) => l is null ? null! : new TargetLevels(l.Units, l.SalesAmount, l.Receipts);
            if (target is null)
            {
                target = m.Month is { } month
                    ? DealerTarget.Monthly(m.TargetId, dealer, m.Year, month, Levels(m.Tier1), Levels(m.Tier2), Levels(m.Tier3), m.Actor)
                    : DealerTarget.Annual(m.TargetId, dealer, m.Year, Levels(m.Tier1), Levels(m.Tier2), Levels(m.Tier3), m.Actor);
                db.Add(target);
                db.Entry(target).Property<int>(DealerLedger.TargetPeriod).CurrentValue = m.Month ?? 0;
            }
            else
                target.Revise(Levels(m.Tier1), Levels(m.Tier2), Levels(m.Tier3), m.Actor);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, m.CommandId, violation);
            return;
        }
        var version = db.NextVersion(target);
        await context.Publish(new DealerTargetSet(target.Id, dealer.Id, dealer.Code, target.Year, target.Month, Wire(target.Tier1), Wire(target.Tier2),
            Wire(target.Tier3), target.AgreedBy, version, clock.GetUtcNow()));
        await Outcome.Accept(context, db, m.CommandId, target.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    private static DealerTargetLevels Wire(TargetLevels l) => new(l.Units, l.SalesAmount, l.Receipts);

    /// <summary>An agency contract is decided by a manager of the dealer's region (代理审核); the domain adds: never whoever submitted it.</summary>
    private static void RequireDecider(string role, string region, Customer dealer) => new RuleCheck()
        .Require(role == DeciderRole, "approverId", "only a manager decides on an agency contract")
        .Require(!string.IsNullOrEmpty(dealer.Region) && region == dealer.Region, "approverId",
            $"only a manager of the dealer's region ({dealer.Region ?? "none recorded"}) decides on its contract")
        .ThrowIfBroken();

    /// <summary>
    /// One step on an existing contract: found (else not-found), at the expected version (else version-mismatch), taken by the domain
    /// (else its broken rules), then the step recorded, the contract's version raised and the step published.
    /// </summary>
    private async Task Step<T>(ConsumeContext<T> context, string step, Action<AgencyContract, Customer> take, Func<AgencyContract, int, Task>? publish = null,
        string? reason = null) where T : class, IAgencyContractCommand
    {
        var m = context.Message;
        if (await Outcome.AnsweredBefore(context, db, m.CommandId))
            return;
        var contract = await db.Set<AgencyContract>().FirstOrDefaultAsync(c => c.Id == m.ContractId, context.CancellationToken);
        if (contract is null)
        {
            await Outcome.RejectNotFound(context, db, m.CommandId, "contractId", "agency contract");
            return;
        }
        var version = db.VersionOf(contract);
        if (m.ExpectedVersion is { } expected && expected != version)
        {
            await Outcome.RejectVersion(context, db, m.CommandId, expected, version);
            return;
        }
        var dealer = await db.Set<Customer>().AsNoTracking().FirstAsync(c => c.Id == contract.DealerId, context.CancellationToken);
        var from = contract.Status;
        try
        {
            take(contract, dealer);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, m.CommandId, violation);
            return;
        }
        var next = db.NextVersion(contract);
        var sequence = await db.Set<AgencyContractStep>().CountAsync(s => s.ContractId == contract.Id, context.CancellationToken) + 1;
        await Record(context, m.CommandId, contract, dealer, step, from.ToString(), m.Actor, reason?.Trim(), next, sequence);
        if (publish is not null)
            await publish(contract, sequence);
        await Outcome.Accept(context, db, m.CommandId, contract.Id, next);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>Keeps the step in the contract's approval history and publishes it.</summary>
    private Task Record(ConsumeContext context, Guid commandId, AgencyContract contract, Customer dealer, string step, string? from, string actor,
        string? reason, long version, int sequence) =>
        AgencyContractSteps.Record(db, context, commandId, contract, dealer, step, from, actor, reason, version, sequence, clock.GetUtcNow());

    /// <summary>The dealer a record is about, or null after refusing the command (no such customer; the domain refuses one that is not a dealer).</summary>
    private async Task<Customer?> LoadDealer(ConsumeContext context, Guid commandId, Guid dealerId)
    {
        var dealer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == dealerId, context.CancellationToken);
        if (dealer is null)
            await Outcome.RejectNotFound(context, db, commandId, "dealerId", "dealer");
        return dealer;
    }

    /// <summary>An id derived from a contract and a name, so a repeated step asks the same approver with the same approval id.</summary>
    private static Guid Derived(Guid contractId, string name) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"crm-agency-contract:{contractId:N}:{name}")).AsSpan(0, 16));
}
