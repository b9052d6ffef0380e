using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>Adds a contact to an active customer; the same command or contact id again changes nothing.</summary>
public sealed class AddContactConsumer(HubDbContext db, TimeProvider clock) : IConsumer<AddContact>
{
    public async Task Consume(ConsumeContext<AddContact> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await Outcome.AlreadyCreated<Contact>(context, db, command.CommandId, command.ContactId))
            return;
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.CustomerId, context.CancellationToken);
        if (customer is null)
        {
            await Outcome.RejectNotFound(context, db, command.CommandId, "customerId", "customer");
            return;
        }
        if (customer.IsRetired)
        {
            await Outcome.Reject(context, db, command.CommandId, CustomerCommandRejected.Conflict, "The customer was merged into another.",
                new Dictionary<string, string[]> { ["customerId"] = [$"customer {customer.Code} was merged into {customer.MergedIntoId}; add the contact there"] });
            return;
        }

        Contact contact;
        try
        {
            contact = Contact.Add(command.ContactId, command.CustomerId, CustomerMapping.ToDetails(command.Details));
            await ContactHierarchy.ReportTo(db, contact, command.ReportsToId, context.CancellationToken);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        db.Add(contact);
        var saved = db.NextVersion(contact);
        await context.Publish(new ContactAdded(contact.Id, contact.CustomerId, contact.Name, contact.Email, CustomerMapping.ToData(contact.Phones),
            contact.Birthday, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, contact.Id, saved);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
