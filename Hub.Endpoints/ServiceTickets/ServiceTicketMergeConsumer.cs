using Crm.Contracts.Customers;
using Crm.Domain.ServiceTickets;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// The service tickets follow a customer merge (<see cref="CustomersMerged"/>): every ticket of the duplicate (by id, or by the code it
/// was taken under) moves to the survivor, its version raised so open ETags no longer match. Its field work orders and follow-up
/// visits belong to the ticket and move with it. A repeated or late delivery finds nothing of the duplicate left and changes nothing;
/// the change history records each move with the merge message.
/// </summary>
public sealed class ServiceTicketMergeConsumer(HubDbContext db) : IConsumer<CustomersMerged>
{
    public async Task Consume(ConsumeContext<CustomersMerged> context)
    {
        var m = context.Message;
        var tickets = await db.Set<ServiceTicket>()
            .Where(t => t.CustomerId == m.DuplicateId || EF.Property<string>(t, ServiceTicketsStoreModel.CustomerCode) == m.DuplicateCode)
            .ToListAsync(context.CancellationToken);
        foreach (var ticket in tickets)
        {
            ticket.MoveToCustomer(m.SurvivorId);
            var entry = db.Entry(ticket);
            entry.Property<string>(ServiceTicketsStoreModel.CustomerCode).CurrentValue = m.SurvivorCode;
            entry.Property<long>(ServiceTicketsStoreModel.Version).CurrentValue++;
        }
        if (tickets.Count > 0)
            await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Follows merges on the service tickets endpoint, so a ticket's commands and its move never run side by side unordered.</summary>
public sealed class ServiceTicketMergeConsumerDefinition : ConsumerDefinition<ServiceTicketMergeConsumer>
{
    public ServiceTicketMergeConsumerDefinition() => EndpointName = HubQueues.ServiceTickets;
}
