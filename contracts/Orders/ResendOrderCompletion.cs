namespace Crm.Contracts.Orders;

/// <summary>
/// Command to the order saga: after ERP's refusal was put right, send the completion report (ERP sales order) again. Only for an
/// order in <c>CompletionRefused</c>. Answered as <see cref="ApproveOrder"/>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the step: the same command again changes nothing.</param>
/// <param name="RequestedBy">The manager or operator resending.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When it was asked.</param>
public sealed record ResendOrderCompletion(Guid OrderId, Guid CommandId, string RequestedBy, long? ExpectedVersion, DateTimeOffset RequestedAt);
