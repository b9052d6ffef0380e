namespace Crm.Contracts.Orders;

/// <summary>Timeout message: the order stayed in fulfilment longer than its deadline (000 时限).</summary>
public sealed record OrderDeadlineExpired(Guid OrderId);
