namespace Crm.Contracts.Billing;

/// <summary>Event: billing reports that the customer paid an order's charge (webhook <c>payment.received</c>).</summary>
public sealed record BillingPaymentReceived(Guid OrderId, string ChargeId, decimal Amount, string Currency, string BillingEventId, DateTimeOffset PaidAt);
