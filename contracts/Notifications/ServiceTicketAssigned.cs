namespace Crm.Contracts.Notifications;

/// <summary>Event: a service ticket was given to an engineer (003 §3.7.3 指定服务人员).</summary>
public sealed record ServiceTicketAssigned(
    Guid TicketId,
    string TicketNumber,
    string CustomerCode,
    Guid? ContactId,
    string EngineerUserId,
    string EngineerName,
    DateTimeOffset AssignedAt);
