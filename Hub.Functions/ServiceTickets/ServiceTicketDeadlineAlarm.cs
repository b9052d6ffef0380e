using Crm.Contracts.ServiceTickets;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;

namespace Hub.Functions.ServiceTickets;

/// <summary>
/// A ticket's deadline alarm (时限告警) goes at once to whoever holds the ticket: the engineer while a field work order is out,
/// else the representative who took it. A repeat escalates to the holder's <c>escalateTo</c> (e.g. the office supervisor).
/// </summary>
[BusTrigger(typeof(ServiceTicketDeadlineExceeded))]
public sealed class ServiceTicketDeadlineAlarm(Notifier notifier, HubDbContext db) : IFunction<ServiceTicketDeadlineExceeded>
{
    private static readonly string[] FieldStates = ["Assigned", "Accepted", "AwaitingParts"];

    public Task Run(ServiceTicketDeadlineExceeded message, FunctionContext context)
    {
        var holder = FieldStates.Contains(message.State) && message.EngineerUserId is { Length: > 0 } engineer ? engineer : message.OwnerUserId;
        return DeadlineAlarms.NotifyAsync(notifier, db, context, "ticket-deadline-alarm", "ticket-deadline-escalation", message.TicketNumber,
            message.State, message.DeadlineAt, holder, "holderName", new Dictionary<string, object?>
            {
                ["ticketNumber"] = message.TicketNumber,
                // Ticket states have their own words: "Completed" of a ticket is not "Completed" of an order.
                ["state"] = "ticket." + message.State,
                ["deadlineAt"] = message.DeadlineAt,
                ["officeId"] = message.OfficeId,
            });
    }
}
