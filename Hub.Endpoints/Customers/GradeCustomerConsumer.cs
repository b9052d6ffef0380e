using Hub.Infrastructure;
using static Hub.Endpoints.Customers.CustomerCommands;
using Crm.Contracts.Customers;
using Crm.Domain;
using Crm.Domain.Customers;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;

namespace Hub.Endpoints.Customers;

/// <summary>Records a customer's value and credit grades.</summary>
public sealed class GradeCustomerConsumer(HubDbContext db, TimeProvider clock) : IConsumer<GradeCustomer>
{
    public async Task Consume(ConsumeContext<GradeCustomer> context)
    {
        var command = context.Message;
        if (await Outcome.AnsweredBefore(context, db, command.CommandId))
            return;
        if (await context.LoadActiveCustomer(db, command.CommandId, command.CustomerId, command.ExpectedVersion) is not { } customer)
            return;
        try
        {
            customer.Grade(EnumNames.ParseOrUnknown<ValueGrade>(command.ValueGrade), EnumNames.ParseOrUnknown<CreditGrade>(command.CreditGrade));
        }
        catch (DomainRuleViolation violation)
        {
            await Outcome.Reject(context, db, command.CommandId, violation);
            return;
        }

        var version = db.NextVersion(customer);
        await context.Publish(new CustomerGraded(customer.Id, customer.Code, customer.ValueGrade.ToString(), customer.CreditGrade.ToString(),
            clock.GetUtcNow(), command.Actor));
        await Outcome.Accept(context, db, command.CommandId, customer.Id, version);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
