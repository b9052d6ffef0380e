using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;

namespace Hub.Endpoints.Customers;

/// <summary>Replaces a customer's descriptive data (and attributes, when given) made from the version it names.</summary>
public sealed class UpdateCustomerProfileConsumer(HubDbContext db, TimeProvider clock) : IConsumer<UpdateCustomerProfile>
{
    public async Task Consume(ConsumeContext<UpdateCustomerProfile> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await context.LoadActiveCustomer(db, command.CommandId, command.CustomerId, command.ExpectedVersion) is not { } customer)
            return;
        try
        {
            customer.UpdateProfile(CustomerMapping.ToProfile(command.Profile));
            if (command.Attributes is not null)
                CustomerMapping.ReplaceAttributes(customer, command.Attributes);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        var version = db.NextVersion(customer);
        await context.Publish(new CustomerProfileChanged(customer.Id, customer.Code, customer.Name, customer.Kind.ToString(), customer.Region,
            customer.Phone, customer.Email, version, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, customer.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
