namespace Hub.Adapters.Billing;

/// <summary>
/// The billing system's REST API as the hub uses it, in the shape Refit would generate: one
/// interface, one implementation over HttpClient. Every write carries an idempotency key.
/// </summary>
public interface IBillingApi
{
    /// <summary>Charges a customer for an order; the same <paramref name="idempotencyKey"/> never charges twice.</summary>
    Task<BillingCharge> CreateCharge(CreateChargeRequest request, string idempotencyKey, CancellationToken ct);

    /// <summary>Reverses the charge of an order; reversing an order with no charge is not an error.</summary>
    Task<BillingReversal> ReverseCharge(ReverseChargeRequest request, string idempotencyKey, CancellationToken ct);

    /// <summary>Opens the billing account of a customer; the same <paramref name="idempotencyKey"/> opens it once.</summary>
    Task<BillingAccount> CreateAccount(CreateAccountRequest request, string idempotencyKey, CancellationToken ct);

    /// <summary>What a customer owes and has paid; null when billing has no account for them.</summary>
    Task<BillingBalance?> GetBalance(string customerCode, CancellationToken ct);
}

/// <summary>Body of <c>POST /api/v1/accounts</c>.</summary>
public sealed record CreateAccountRequest(string CustomerCode, string Name, string Currency);

/// <summary>A customer's account at billing.</summary>
public sealed record BillingAccount(string AccountId, string CustomerCode, string Currency);

/// <summary>Answer of <c>GET /api/v1/accounts/{customerCode}/balance</c>.</summary>
public sealed record BillingBalance(string CustomerCode, decimal Charged, decimal Paid, decimal Outstanding, string Currency);

/// <summary>Body of <c>POST /api/v1/charges</c>.</summary>
public sealed record CreateChargeRequest(Guid OrderId, string OrderNumber, string CustomerCode, decimal Amount, string Currency);

/// <summary>A charge billing holds.</summary>
public sealed record BillingCharge(string ChargeId, Guid OrderId, decimal Amount, string Currency, string Status);

/// <summary>Body of <c>POST /api/v1/charges/reversals</c>: reverses <paramref name="ChargeId"/>, or, without it, the order's charge.</summary>
public sealed record ReverseChargeRequest(Guid OrderId, string Reason, string? ChargeId = null);

/// <summary>Outcome of a reversal: <see cref="Reversed"/> is false when the order had no charge.</summary>
public sealed record BillingReversal(Guid OrderId, bool Reversed, string? ChargeId);

/// <summary>Billing refused a request for a business reason (4xx other than 408/429): retrying will not help.</summary>
public sealed class BillingRefusedException(int status, string reason) : Exception($"Billing refused the request ({status}): {reason}")
{
    /// <summary>HTTP status billing answered with.</summary>
    public int Status { get; } = status;
    /// <summary>Billing's explanation.</summary>
    public string Reason { get; } = reason;
}
