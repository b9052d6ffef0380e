namespace Crm.Contracts.Notifications;

/// <summary>Event: a field work order (派工单) was given to an engineer (003 §3.7.3).</summary>
public sealed record FieldWorkOrderAssigned(
    Guid FieldWorkOrderId,
    string FieldWorkOrderNumber,
    string? TicketNumber,
    string CustomerCode,
    string EngineerUserId,
    string? SiteAddress,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset AssignedAt);
