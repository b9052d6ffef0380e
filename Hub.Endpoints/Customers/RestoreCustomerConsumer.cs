using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using Hub.Persistence.History;
using MassTransit;

namespace Hub.Endpoints.Customers;

/// <summary>Sets a customer back to its recorded values as of a moment; the restore is on record like any change.</summary>
public sealed class RestoreCustomerConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RestoreCustomer>
{
    public async Task Consume(ConsumeContext<RestoreCustomer> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (command.AsOf > clock.GetUtcNow())
        {
            await Outcome.Reject(context, db, command.CommandId, CustomerCommandRejected.Invalid, "A restore goes back in time.",
                new Dictionary<string, string[]> { ["asOf"] = ["must not be in the future"] });
            return;
        }
        if (await context.LoadActiveCustomer(db, command.CommandId, command.CustomerId, command.ExpectedVersion) is not { } customer)
            return;
        if (!await ChangeHistory.RestoreAsync(db, customer, command.AsOf.UtcDateTime, context.CancellationToken))
        {
            await Outcome.Reject(context, db, command.CommandId, CustomerCommandRejected.Invalid, "The customer has no record at that moment.",
                new Dictionary<string, string[]> { ["asOf"] = ["the customer was not on record yet"] });
            return;
        }

        var version = db.NextVersion(customer);
        await context.Publish(new CustomerRestored(customer.Id, customer.Code, command.AsOf, clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, customer.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>On the customers queue.</summary>
public sealed class RestoreCustomerConsumerDefinition : ConsumerDefinition<RestoreCustomerConsumer>
{
    public RestoreCustomerConsumerDefinition() => EndpointName = Hub.Infrastructure.HubQueues.Customers;
}
