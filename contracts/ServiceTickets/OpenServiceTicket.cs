namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Command: take a customer's service request or complaint (003 §3.7.2). <see cref="TicketId"/> is chosen by the caller, so a
/// retry opens it once. <see cref="FollowUpRequested"/> marks a key customer's request for a follow-up visit (complaints always get one).
/// Answered with <see cref="ServiceTicketDetails"/> or <see cref="ServiceTicketCommandRejected"/>.
/// </summary>
public sealed record OpenServiceTicket(
    Guid TicketId,
    Guid CustomerId,
    string CustomerCode,
    Guid? ContactId,
    string Channel,
    string Kind,
    string Subject,
    string Description,
    string? ProductCode,
    Guid? ProductInstanceId,
    bool FollowUpRequested,
    string OpenedBy,
    DateTimeOffset RequestedAt);
