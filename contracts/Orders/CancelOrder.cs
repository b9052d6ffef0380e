namespace Crm.Contracts.Orders;

/// <summary>
/// Command to the order saga: the customer cancels. Before fulfilment the order ends at once; once work orders are under way,
/// every charge is reversed and every resource released first. Answered as <see cref="ApproveOrder"/>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the step: the same command again changes nothing.</param>
/// <param name="RequestedBy">Who took the cancellation (the salesperson, the call centre).</param>
/// <param name="Reason">The customer's reason.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When the customer cancelled.</param>
public sealed record CancelOrder(Guid OrderId, Guid CommandId, string RequestedBy, string Reason, long? ExpectedVersion, DateTimeOffset RequestedAt);
