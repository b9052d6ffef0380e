namespace Crm.Contracts.ServiceTickets;

/// <summary>Event: a service request or complaint was taken (003 §3.7.2).</summary>
public sealed record ServiceTicketOpened(
    Guid TicketId,
    string TicketNumber,
    Guid CustomerId,
    string CustomerCode,
    Guid? ContactId,
    string Channel,
    string Kind,
    string Subject,
    string? ProductCode,
    string OpenedBy,
    DateTimeOffset OpenedAt);
