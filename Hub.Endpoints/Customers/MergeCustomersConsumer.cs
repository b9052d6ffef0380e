using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Crm.Domain.Orders;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>
/// Merges a confirmed duplicate into its survivor (003 §3.1.1) in one transaction: the duplicate's contacts
/// and orders move to the survivor, the survivor takes what it lacked, the duplicate is retired and the merge
/// recorded (<c>crm_customer_merge</c>). <see cref="CustomersMerged"/> lets read models elsewhere follow.
/// Service tickets and contact history are not stored yet, so nothing of theirs moves.
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
        CustomerMergePlan plan;
        try
        {
            plan = CustomerMerge.Plan(survivor, duplicate,
                new CustomerDependents(contacts.Select(c => c.Id).ToArray(), orders.Select(o => o.Id).ToArray(), [], []),
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
            merged.FieldsFilled, merged.AttributeKeysTaken, merged.At, merged.Actor));
        await Outcome.Accept(context, db, command.CommandId, survivor.Id, version);
        await db.SaveChangesAsync(ct);
    }
}
