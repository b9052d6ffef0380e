using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Crm.Domain.Orders;
using Crm.Domain.ServiceTickets;
using Hub.CrmStore;
using Hub.CrmStore.Dealers;
using Hub.Persistence;
using Hub.Persistence.History;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>
/// Merges a confirmed duplicate into its survivor (003 §3.1.1) in one transaction: the duplicate's contacts
/// and orders move to the survivor, the survivor takes what it lacked, the duplicate is retired and the merge
/// recorded (<c>crm_customer_merge</c>, with the service tickets that follow and the change-history entries it wrote). Two dealers are merged only when the dealer rules
/// allow it (<see cref="DealerMerge"/>). <see cref="CustomersMerged"/> lets every other store follow in its own consumer: the
/// service tickets, the order sagas, the dealer records, the mobile read models and the notifications.
/// </summary>
public sealed class MergeCustomersConsumer(HubDbContext db, TimeProvider clock) : IConsumer<MergeCustomers>
{
    public async Task Consume(ConsumeContext<MergeCustomers> context)
    {
        var command = context.Message;
        var ct = context.CancellationToken;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        var survivor = await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == command.SurvivorId, ct);
        // Planned from an untracked copy: the survivor takes copies of the duplicate's attributes, which stay its own.
        var duplicate = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.DuplicateId, ct);
        if (survivor is null || duplicate is null)
        {
            await Outcome.RejectNotFound(context, db, command.CommandId, survivor is null ? "survivorId" : "duplicateId", "customer");
            return;
        }
        if (duplicate.MergedIntoId == survivor.Id)
        {
            await Outcome.AcceptRepeat(context, command.CommandId, survivor.Id, db.VersionOf(survivor));
            return;
        }
        if (survivor.IsRetired || duplicate.IsRetired)
        {
            var (field, retired) = survivor.IsRetired ? ("survivorId", survivor) : ("duplicateId", duplicate);
            await Outcome.Reject(context, db, command.CommandId, CustomerCommandRejected.Conflict, "A customer of the merge was already merged away.",
                new Dictionary<string, string[]> { [field] = [$"customer {retired.Code} was merged into {retired.MergedIntoId}"] });
            return;
        }

        var contacts = await db.Set<Contact>().Where(c => c.CustomerId == duplicate.Id).ToListAsync(ct);
        var orders = await db.Set<Order>().Where(o => o.CustomerCode == duplicate.Code).ToListAsync(ct);
        var tickets = await db.Set<ServiceTicket>().AsNoTracking().Where(t => t.CustomerId == duplicate.Id).Select(t => t.Id).ToListAsync(ct);
        CustomerMergePlan plan;
        try
        {
            await CheckDealerRules(survivor, duplicate, ct);
            plan = CustomerMerge.Plan(survivor, duplicate,
                new CustomerDependents(contacts.Select(c => c.Id).ToArray(), orders.Select(o => o.Id).ToArray(), tickets, []),
                clock.GetUtcNow(), command.Actor);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        foreach (var contact in contacts)
        {
            contact.MoveToCustomer(survivor.Id);
            db.NextVersion(contact);
        }
        foreach (var order in orders)
            order.MoveToCustomer(plan.SurvivorCode);
        survivor.Absorb(plan);
        var retiring = await db.Set<Customer>().FirstAsync(c => c.Id == duplicate.Id, ct);
        retiring.RetireInto(plan);
        db.NextVersion(retiring);
        db.Add(plan.Merged);
        var version = db.NextVersion(survivor);

        var merged = plan.Merged;
        await context.Publish(new CustomersMerged(survivor.Id, survivor.Code, duplicate.Id, duplicate.Code, merged.ContactIds, merged.OrderIds,
            merged.FieldsFilled, merged.AttributeKeysTaken, merged.At, merged.Actor, merged.TicketIds));
        await Outcome.Accept(context, db, command.CommandId, survivor.Id, version);
        var earlier = db.ChangeTracker.Entries<EntityChange>().Select(e => e.Entity).ToHashSet();
        await db.SaveChangesAsync(ct);
        // The store numbers the change-history entries as it writes them: the merge record names them in a second save of the same
        // transaction (the inbox/outbox's), so the record and its changes still commit together.
        db.Entry(merged).Property(m => m.ChangeIds).CurrentValue = db.ChangeTracker.Entries<EntityChange>()
            .Select(e => e.Entity).Where(c => !earlier.Contains(c)).Select(c => c.Id).Order().ToArray();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Refuses the merge up front when the duplicate's dealer records cannot move to the survivor (<see cref="DealerMerge.Check"/>).</summary>
    private async Task CheckDealerRules(Customer survivor, Customer duplicate, CancellationToken ct)
    {
        var ids = new[] { survivor.Id, duplicate.Id };
        var targets = await db.Set<DealerTarget>().AsNoTracking().Where(t => ids.Contains(t.DealerId)).ToListAsync(ct);
        var id = duplicate.Id;
        var hasRecords = targets.Any(t => t.DealerId == id)
            || await db.Set<InspectionVisit>().AnyAsync(v => v.DealerId == id, ct)
            || await db.Set<NegotiationRecord>().AnyAsync(n => n.DealerId == id, ct)
            || await db.Set<AgencyContract>().AnyAsync(c => c.DealerId == id, ct)
            || await db.Set<DealerAchievementEntry>().AnyAsync(e => e.DealerId == id, ct);
        DealerMerge.Check(survivor, duplicate, targets.Where(t => t.DealerId == survivor.Id), targets.Where(t => t.DealerId == id), hasRecords);
    }
}
