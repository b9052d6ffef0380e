using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;

namespace Hub.Endpoints.Customers;

/// <summary>Hands a customer to another salesperson.</summary>
public sealed class AssignCustomerOwnerConsumer(HubDbContext db, TimeProvider clock) : IConsumer<AssignCustomerOwner>
{
    public async Task Consume(ConsumeContext<AssignCustomerOwner> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await context.LoadActiveCustomer(db, command.CommandId, command.CustomerId, command.ExpectedVersion) is not { } customer)
            return;
        var previous = customer.OwnerSalespersonId;
        try
        {
            customer.AssignOwner(command.OwnerSalespersonId);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        var version = db.NextVersion(customer);
        await context.Publish(new CustomerOwnerAssigned(customer.Id, customer.Code, previous, customer.OwnerSalespersonId!, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, customer.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
