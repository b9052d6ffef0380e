namespace Crm.Contracts.Orders;

/// <summary>
/// Command to the order saga: a staff member passes or refuses the audit (稽核) of an order that waits for it in <c>Auditing</c>
/// (the manual audit step, <c>Orders:Audit:Manual</c>). Passed, the order is Audited and its completion goes to ERP; refused, it
/// compensates with the reason. Answered as <see cref="ApproveOrder"/>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="CommandId">Identity of the step: the same command again changes nothing.</param>
/// <param name="AuditorUserId">The staff member auditing.</param>
/// <param name="Passed">Whether the order passes its audit.</param>
/// <param name="Reason">Why it fails (required when refused); ignored when passed.</param>
/// <param name="ExpectedVersion">The order version the caller saw (its ETag); null: no check.</param>
/// <param name="RequestedAt">When it was decided.</param>
public sealed record AuditOrder(Guid OrderId, Guid CommandId, string AuditorUserId, bool Passed, string? Reason, long? ExpectedVersion,
    DateTimeOffset RequestedAt);
