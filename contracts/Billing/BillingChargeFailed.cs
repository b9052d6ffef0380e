namespace Crm.Contracts.Billing;

/// <summary>Event: billing reports that collecting an order's charge failed (webhook <c>charge.failed</c>).</summary>
public sealed record BillingChargeFailed(Guid OrderId, string ChargeId, string Reason, string BillingEventId, DateTimeOffset FailedAt);
