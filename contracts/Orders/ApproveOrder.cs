namespace Crm.Contracts.Orders;

/// <summary>
/// Command to the order saga: a manager approves an order waiting for approval (003 §3.4.1 审批). Answered with
/// <see cref="OrderDetails"/>, <see cref="OrderCommandRejected"/> or <see cref="OrderNotFound"/>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the step: the same command again changes nothing.</param>
/// <param name="ApproverUserId">The manager.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When the manager decided.</param>
public sealed record ApproveOrder(Guid OrderId, Guid CommandId, string ApproverUserId, long? ExpectedVersion, DateTimeOffset RequestedAt);
