using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>Replaces a contact's data and whom they report to, made from the version it names.</summary>
public sealed class UpdateContactConsumer(HubDbContext db, TimeProvider clock) : IConsumer<UpdateContact>
{
    public async Task Consume(ConsumeContext<UpdateContact> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        var contact = await db.Set<Contact>().FirstOrDefaultAsync(c => c.Id == command.ContactId, context.CancellationToken);
        if (contact is null)
        {
            await Outcome.RejectNotFound(context, db, command.CommandId, "contactId", "contact");
            return;
        }
        if (command.ExpectedVersion is { } expected && expected != db.VersionOf(contact))
        {
            await Outcome.RejectVersion(context, db, command.CommandId, expected, db.VersionOf(contact));
            return;
        }
        try
        {
            contact.Update(CustomerMapping.ToDetails(command.Details));
            await ContactHierarchy.ReportTo(db, contact, command.ReportsToId, context.CancellationToken);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        var version = db.NextVersion(contact);
        await context.Publish(new ContactUpdated(contact.Id, contact.CustomerId, contact.Name, contact.Email, CustomerMapping.ToData(contact.Phones),
            contact.Birthday, contact.ReportsToId, version, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, contact.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
