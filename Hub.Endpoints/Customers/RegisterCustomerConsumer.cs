using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.Customers;

/// <summary>
/// Registers a customer: the domain checks it, the store keeps it, <see cref="CustomerRegistered"/> goes out
/// with the save (transactional outbox). A customer code already taken is a conflict; the same command or
/// customer id again changes nothing.
/// </summary>
public sealed class RegisterCustomerConsumer(HubDbContext db, TimeProvider clock) : IConsumer<RegisterCustomer>
{
    public async Task Consume(ConsumeContext<RegisterCustomer> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await Outcome.AlreadyCreated<Customer>(context, db, command.CommandId, command.CustomerId))
            return;

        Customer customer;
        try
        {
            customer = Customer.Register(command.CustomerId, CustomerMapping.ToProfile(command.Profile), command.OwnerSalespersonId, clock.GetUtcNow());
            CustomerMapping.ReplaceAttributes(customer, command.Attributes ?? []);
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }
        if (await db.Set<Customer>().AnyAsync(c => c.Code == customer.Code, context.CancellationToken))
        {
            await Outcome.Reject(context, db, command.CommandId, CustomerCommandRejected.Conflict, "The customer code is taken.",
                new Dictionary<string, string[]> { ["code"] = [$"customer code {customer.Code} belongs to another customer"] });
            return;
        }

        db.Add(customer);
        var saved = db.NextVersion(customer);
        await context.Publish(new CustomerRegistered(customer.Id, customer.Code, customer.Name, customer.Kind.ToString(), customer.OwnerSalespersonId,
            customer.Region, customer.Phone, customer.Email, customer.RegisteredAt, command.Actor));
        await Outcome.Accept(context, db, command.CommandId, customer.Id, saved);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
