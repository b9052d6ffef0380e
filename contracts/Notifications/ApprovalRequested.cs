namespace Crm.Contracts.Notifications;

/// <summary>
/// Event: something waits for a person's approval (003 §3.3.3 审批, §3.9 审核提醒), e.g. an order or a discount.
/// <paramref name="Subject"/> is the business key (an order number), <paramref name="Kind"/> what it is (<c>order</c>, <c>discount</c>).
/// </summary>
public sealed record ApprovalRequested(
    Guid ApprovalId,
    string Kind,
    string Subject,
    string ApproverUserId,
    string RequestedBy,
    DateTimeOffset RequestedAt);
