using Crm.Contracts.Notifications;

namespace Crm.Contracts.Orders;

/// <summary>
/// Command to the order saga: the customer agreed to pay the order in these instalments (003 §3.4.2 收款计划); a later plan
/// replaces the earlier one. The instalments must add up to the order total. Answered as <see cref="ApproveOrder"/>; once
/// taken, the order publishes <see cref="PaymentPlanAgreed"/>, from which the payment reminders work.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the request.</param>
/// <param name="RequestedBy">The salesperson who agreed it with the customer.</param>
/// <param name="Instalments">The plan, numbered from 1, due dates increasing.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When it was agreed.</param>
public sealed record PlanOrderPayments(Guid OrderId, Guid CommandId, string RequestedBy, IReadOnlyList<PaymentInstalment> Instalments, long? ExpectedVersion,
    DateTimeOffset RequestedAt);
