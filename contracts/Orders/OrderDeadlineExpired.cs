namespace Crm.Contracts.Orders;

/// <summary>Timeout message: the order stayed in a state longer than its deadline (000 时限).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="State">The state whose deadline it is.</param>
/// <param name="Sequence">The order's history position when the state was entered: a deadline of an earlier entry is stale.</param>
/// <param name="DueAt">When it was due: a repeated alarm in the same state has a later one.</param>
public sealed record OrderDeadlineExpired(Guid OrderId, string? State = null, int? Sequence = null, DateTimeOffset? DueAt = null);
