using Crm.Contracts.Notifications;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using Hub.Adapters.Identity;
using MassTransit;

namespace Hub.Adapters.Push;

/// <summary>Tells an engineer a service ticket is theirs (003 §3.7.3).</summary>
public sealed class ServiceTicketAssignedPushConsumer(PushRecorder pushes) : IConsumer<ServiceTicketAssigned>
{
    public Task Consume(ConsumeContext<ServiceTicketAssigned> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.EngineerUserId, "ticket.assigned",
            $"ticket.assigned:{m.TicketId:N}:{m.AssignedAt.UtcTicks}", m,
            $"Service ticket {m.TicketNumber} assigned to you", $"Customer {m.CustomerCode}.",
            new Dictionary<string, string> { ["kind"] = "ticket.assigned", ["ticketId"] = m.TicketId.ToString(), ["ticketNumber"] = m.TicketNumber, ["customerCode"] = m.CustomerCode }));
    }
}

/// <summary>Tells an engineer a field work order (派工单) is theirs.</summary>
public sealed class FieldWorkOrderAssignedPushConsumer(PushRecorder pushes) : IConsumer<FieldWorkOrderAssigned>
{
    public Task Consume(ConsumeContext<FieldWorkOrderAssigned> context)
    {
        var m = context.Message;
        var when = m.ScheduledFor is { } at ? $" on {at:yyyy-MM-dd HH:mm} UTC" : "";
        return pushes.RecordAsync(context, new PushNotice(m.EngineerUserId, "fieldwork.assigned",
            $"fieldwork.assigned:{m.FieldWorkOrderId:N}:{m.AssignedAt.UtcTicks}", m,
            $"Field work order {m.FieldWorkOrderNumber} assigned to you", $"Customer {m.CustomerCode}{(m.SiteAddress is null ? "" : $", {m.SiteAddress}")}{when}.",
            new Dictionary<string, string>
            {
                ["kind"] = "fieldwork.assigned", ["fieldWorkOrderId"] = m.FieldWorkOrderId.ToString(), ["fieldWorkOrderNumber"] = m.FieldWorkOrderNumber,
                ["customerCode"] = m.CustomerCode,
            }));
    }
}

/// <summary>
/// Tells a manager, or a deputy acting for one, that something waits for their approval (003 §3.9 审核提醒), only when their
/// approval right in force (own or delegated, <see cref="StaffPermissions.ForApprovalOf"/>) reaches the requester's records: a deputy whose
/// delegation has expired or was revoked by then gets nothing.
/// </summary>
public sealed class ApprovalRequestedPushConsumer(PushRecorder pushes) : IConsumer<ApprovalRequested>
{
    public Task Consume(ConsumeContext<ApprovalRequested> context)
    {
        var m = context.Message;
        return pushes.RecordAsync(context, new PushNotice(m.ApproverUserId, "approval.waiting", $"approval.waiting:{m.ApprovalId:N}", m,
            $"Approval waiting: {m.Kind} {m.Subject}", $"Requested by {m.RequestedBy}.",
            new Dictionary<string, string>
            {
                ["kind"] = "approval.waiting", ["approvalId"] = m.ApprovalId.ToString(), ["approvalKind"] = m.Kind, ["subject"] = m.Subject,
            },
            About: new PushSubject(StaffPermissions.ForApprovalOf(m.Kind), m.RequestedBy)));
    }
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class ServiceTicketAssignedPushConsumerDefinition : ConsumerDefinition<ServiceTicketAssignedPushConsumer>
{
    public ServiceTicketAssignedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class FieldWorkOrderAssignedPushConsumerDefinition : ConsumerDefinition<FieldWorkOrderAssignedPushConsumer>
{
    public FieldWorkOrderAssignedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}

/// <summary>Runs on the mobile push endpoint.</summary>
public sealed class ApprovalRequestedPushConsumerDefinition : ConsumerDefinition<ApprovalRequestedPushConsumer>
{
    public ApprovalRequestedPushConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}
