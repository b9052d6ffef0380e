namespace Crm.Contracts.Notifications;

/// <summary>Event: a customer's service request was logged (003 §3.7.2 服务请求). <paramref name="ContactId"/> is who reported it, if known.</summary>
public sealed record ServiceTicketReceived(
    Guid TicketId,
    string TicketNumber,
    string CustomerCode,
    Guid? ContactId,
    string Summary,
    DateTimeOffset ReceivedAt);
