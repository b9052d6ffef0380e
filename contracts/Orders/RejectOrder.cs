namespace Crm.Contracts.Orders;

/// <summary>Command to the order saga: a manager refuses an order waiting for approval, saying why. Answered as <see cref="ApproveOrder"/>.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the step: the same command again changes nothing.</param>
/// <param name="ApproverUserId">The manager.</param>
/// <param name="Reason">Why.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When the manager decided.</param>
public sealed record RejectOrder(Guid OrderId, Guid CommandId, string ApproverUserId, string Reason, long? ExpectedVersion, DateTimeOffset RequestedAt);
