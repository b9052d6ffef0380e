namespace Crm.Contracts.ServiceTickets;

/// <summary>
/// Event: the ticket took a step of its lifecycle. <see cref="Sequence"/> counts the ticket's history (1 = opened), so a
/// follower that saw a later step ignores an earlier one arriving late. Carries the ticket's field work orders and current
/// follow-up as they stand after the step, so read models and the saga need nothing else.
/// </summary>
public sealed record ServiceTicketStatusChanged(
    Guid TicketId,
    string TicketNumber,
    int Sequence,
    string? From,
    string Status,
    string Trigger,
    string? Reason,
    string Actor,
    string CustomerCode,
    string Kind,
    string Subject,
    string OpenedBy,
    string? OfficeId,
    bool FollowUpWanted,
    long Version,
    IReadOnlyList<FieldWorkOrderSummary> FieldWorkOrders,
    FollowUpVisitSummary? FollowUp,
    DateTimeOffset OccurredAt);
