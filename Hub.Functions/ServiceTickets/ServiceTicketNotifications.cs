using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Microsoft.Extensions.Options;

namespace Hub.Functions.ServiceTickets;

/// <summary>Tells the customer their service request was logged (003 §3.7.2).</summary>
[BusTrigger(typeof(ServiceTicketReceived))]
public sealed class ServiceTicketReceivedNotification(Notifier notifier) : IFunction<ServiceTicketReceived>
{
    public Task Run(ServiceTicketReceived message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("ticket-received", message.TicketNumber,
            RecipientKeys.CustomerOrContact(message.CustomerCode, message.ContactId),
            new Dictionary<string, object?> { ["ticketNumber"] = message.TicketNumber, ["summary"] = message.Summary })
        {
            CustomerCode = message.CustomerCode,
        }], context);
}

/// <summary>Tells the customer which engineer comes, and the engineer that the ticket is theirs (003 §3.7.3).</summary>
[BusTrigger(typeof(ServiceTicketAssigned))]
public sealed class ServiceTicketAssignedNotification(Notifier notifier) : IFunction<ServiceTicketAssigned>
{
    public Task Run(ServiceTicketAssigned message, FunctionContext context)
    {
        var data = new Dictionary<string, object?>
        {
            ["ticketNumber"] = message.TicketNumber,
            ["engineerName"] = message.EngineerName,
            ["customerCode"] = message.CustomerCode,
        };
        // A re-assignment is a new event for both: the key carries the engineer.
        var key = $"{message.TicketNumber}/{message.EngineerUserId}";
        return notifier.NotifyAsync(
        [
            new NotificationRequest("engineer-assigned", key, RecipientKeys.CustomerOrContact(message.CustomerCode, message.ContactId), data)
            {
                CustomerCode = message.CustomerCode,
            },
            new NotificationRequest("ticket-assigned", key, RecipientKeys.User(message.EngineerUserId), data),
        ], context);
    }
}

/// <summary>
/// Tells the customer the work is done and, with a survey link, asks for a follow-up survey (回访, 003 §3.7.4)
/// after <c>Notifications:FollowUpSurveyDelay</c>.
/// </summary>
[BusTrigger(typeof(ServiceTicketCompleted))]
public sealed class ServiceTicketCompletedNotification(Notifier notifier, IOptions<NotificationsOptions> options) : IFunction<ServiceTicketCompleted>
{
    public Task Run(ServiceTicketCompleted message, FunctionContext context)
    {
        var recipient = RecipientKeys.CustomerOrContact(message.CustomerCode, message.ContactId);
        var data = new Dictionary<string, object?> { ["ticketNumber"] = message.TicketNumber, ["surveyUrl"] = message.SurveyUrl };
        var requests = new List<NotificationRequest>
        {
            new("ticket-completed", message.TicketNumber, recipient, data) { CustomerCode = message.CustomerCode },
        };
        if (!string.IsNullOrWhiteSpace(message.SurveyUrl))
            requests.Add(new NotificationRequest("follow-up-survey", message.TicketNumber, recipient, data)
            {
                CustomerCode = message.CustomerCode,
                NotBefore = message.CompletedAt + options.Value.FollowUpSurveyDelay,
            });
        return notifier.NotifyAsync(requests, context);
    }
}

/// <summary>Tells the engineer a field work order (派工单) is theirs, with the appointment and site when known (003 §3.7.3).</summary>
[BusTrigger(typeof(FieldWorkOrderAssigned))]
public sealed class FieldWorkOrderAssignedNotification(Notifier notifier) : IFunction<FieldWorkOrderAssigned>
{
    public Task Run(FieldWorkOrderAssigned message, FunctionContext context) =>
        notifier.NotifyAsync([new NotificationRequest("field-work-order-assigned", $"{message.FieldWorkOrderNumber}/{message.EngineerUserId}",
            RecipientKeys.User(message.EngineerUserId), new Dictionary<string, object?>
            {
                ["workOrderNumber"] = message.FieldWorkOrderNumber,
                ["customerCode"] = message.CustomerCode,
                ["scheduledFor"] = message.ScheduledFor,
                ["siteAddress"] = message.SiteAddress,
            })], context);
}
