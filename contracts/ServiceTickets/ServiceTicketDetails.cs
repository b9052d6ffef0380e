namespace Crm.Contracts.ServiceTickets;

/// <summary>A service ticket as it stands, with its field work orders, follow-ups and history. <see cref="Version"/> is its ETag.</summary>
public sealed record ServiceTicketDetails(
    Guid TicketId,
    string TicketNumber,
    Guid CustomerId,
    string CustomerCode,
    Guid? ContactId,
    string Channel,
    string Kind,
    string Subject,
    string Description,
    string? ProductCode,
    Guid? ProductInstanceId,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    string Status,
    DateTimeOffset StatusChangedAt,
    string? OfficeId,
    string? Resolution,
    bool FollowUpWanted,
    long Version,
    IReadOnlyList<FieldWorkOrderSummary> FieldWorkOrders,
    IReadOnlyList<FollowUpVisitSummary> FollowUpVisits,
    IReadOnlyList<ServiceTicketStep> History);
