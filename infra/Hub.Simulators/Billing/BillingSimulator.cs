using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;

namespace Hub.Simulators.Billing;

/// <summary>
/// A billing system as the hub meets it: charges and reversals over REST, idempotent by the
/// <c>Idempotency-Key</c> header, refusing customers whose code starts with <c>NOFUNDS</c>.
/// It records every call by key so a test can prove each charge was made exactly once.
/// </summary>
public sealed class BillingSimulator(PartnerBehaviour behaviour)
{
    private readonly ConcurrentDictionary<string, BillingRecord> _byKey = new();
    private readonly ConcurrentDictionary<Guid, string> _chargeOfOrder = new();
    private readonly ConcurrentDictionary<string, bool> _reversed = new();
    private readonly ConcurrentDictionary<string, AccountRecord> _accounts = new();
    private int _sequence;

    /// <summary>The simulator's misbehaviour switches.</summary>
    public PartnerBehaviour Behaviour => behaviour;

    /// <summary>What was received, by idempotency key.</summary>
    public IReadOnlyCollection<BillingRecord> Received => _byKey.Values.ToArray();

    /// <summary>Maps the billing API under <paramref name="prefix"/> and the test hooks under <c>/sim/billing</c>.</summary>
    public void Map(IEndpointRouteBuilder routes, string prefix = "/billing")
    {
        var api = routes.MapGroup(prefix + "/api/v1");
        api.MapPost("/charges", CreateCharge);
        api.MapPost("/charges/reversals", ReverseCharge);
        api.MapPost("/accounts", CreateAccount);
        api.MapGet("/accounts/{customerCode}/balance", Balance);
        routes.MapGet("/sim/billing/received", () => Results.Ok(Received.OrderBy(r => r.Key)));
        routes.MapPost("/sim/billing/behaviour", (PartnerBehaviour b) =>
        {
            behaviour.LatencyMs = b.LatencyMs;
            behaviour.FailureRate = b.FailureRate;
            behaviour.Down = b.Down;
            return Results.Ok(behaviour);
        });
    }

    private async Task<IResult> CreateCharge(ChargeBody body, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
            return Results.Problem(statusCode: 400, title: "Idempotency-Key header is required.");
        if (body.OrderId == Guid.Empty || string.IsNullOrWhiteSpace(body.CustomerCode) || body.Amount < 0 || body.Currency?.Length != 3)
            return Results.Problem(statusCode: 400, title: "Invalid charge.", detail: "orderId, customerCode, a non-negative amount and a 3-letter currency are required.");
        if (await behaviour.ShouldFailAsync(ct))
            return Results.Problem(statusCode: 503, title: "Billing is temporarily unavailable.");

        var record = _byKey.GetOrAdd(key, k => new BillingRecord(k, "charge", body.OrderId));
        lock (record)
        {
            record.Calls++;
            if (record.Response is null)
            {
                if (body.CustomerCode.StartsWith("NOFUNDS", StringComparison.OrdinalIgnoreCase))
                {
                    record.Refusal = "Customer has insufficient credit.";
                }
                else
                {
                    var chargeId = $"CH{Interlocked.Increment(ref _sequence):D8}";
                    record.Effects++;
                    record.CustomerCode = body.CustomerCode;
                    record.Amount = body.Amount;
                    record.Response = new { chargeId, orderId = body.OrderId, amount = body.Amount, currency = body.Currency, status = "charged" };
                    record.ChargeId = chargeId;
                    _chargeOfOrder[body.OrderId] = chargeId;
                }
            }
        }
        return record.Refusal is { } refusal
            ? Results.Problem(statusCode: 422, title: "Charge refused.", detail: refusal)
            : record.Calls == 1 ? Results.Created($"/billing/api/v1/charges/{body.OrderId}", record.Response) : Results.Ok(record.Response);
    }

    private async Task<IResult> ReverseCharge(ReversalBody body, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
            return Results.Problem(statusCode: 400, title: "Idempotency-Key header is required.");
        if (body.OrderId == Guid.Empty)
            return Results.Problem(statusCode: 400, title: "Invalid reversal.", detail: "orderId is required.");
        if (await behaviour.ShouldFailAsync(ct))
            return Results.Problem(statusCode: 503, title: "Billing is temporarily unavailable.");

        var record = _byKey.GetOrAdd(key, k => new BillingRecord(k, "reversal", body.OrderId));
        lock (record)
        {
            record.Calls++;
            // A reversal names its charge (an order may have one per work order), or reverses whatever charge the order has
            // now; one arriving before the charge reverses nothing.
            var chargeId = body.ChargeId is { Length: > 0 } named ? named : _chargeOfOrder.GetValueOrDefault(body.OrderId);
            if (chargeId is not null && _reversed.TryAdd(chargeId, true))
                record.Effects++;
            record.Response = new { orderId = body.OrderId, reversed = chargeId is not null, chargeId };
        }
        return Results.Ok(record.Response);
    }

    private async Task<IResult> CreateAccount(AccountBody body, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
            return Results.Problem(statusCode: 400, title: "Idempotency-Key header is required.");
        if (string.IsNullOrWhiteSpace(body.CustomerCode) || body.Currency?.Length != 3)
            return Results.Problem(statusCode: 400, title: "Invalid account.", detail: "customerCode and a 3-letter currency are required.");
        if (await behaviour.ShouldFailAsync(ct))
            return Results.Problem(statusCode: 503, title: "Billing is temporarily unavailable.");
        var record = _byKey.GetOrAdd(key, k => new BillingRecord(k, "account", Guid.Empty));
        lock (record)
        {
            record.Calls++;
            if (record.Response is null)
            {
                var account = _accounts.GetOrAdd(body.CustomerCode, c => new AccountRecord($"AC{Interlocked.Increment(ref _sequence):D8}", c, body.Currency!));
                record.Effects++;
                record.Response = new { accountId = account.AccountId, customerCode = account.CustomerCode, currency = account.Currency };
            }
        }
        return record.Calls == 1 ? Results.Created($"/billing/api/v1/accounts/{body.CustomerCode}", record.Response) : Results.Ok(record.Response);
    }

    /// <summary>Balance of a customer: the sum of their charges not reversed (the simulator takes no payments).</summary>
    private async Task<IResult> Balance(string customerCode, CancellationToken ct)
    {
        if (await behaviour.ShouldFailAsync(ct))
            return Results.Problem(statusCode: 503, title: "Billing is temporarily unavailable.");
        if (!_accounts.TryGetValue(customerCode, out var account))
            return Results.Problem(statusCode: 404, title: "No such account.");
        var charged = _byKey.Values.Where(r => r.Kind == "charge" && r.Effects > 0 && r.CustomerCode == customerCode
            && !(r.ChargeId is { } c && _reversed.ContainsKey(c))).Sum(r => r.Amount);
        return Results.Ok(new { customerCode, charged, paid = 0m, outstanding = charged, currency = account.Currency });
    }

    private sealed record AccountRecord(string AccountId, string CustomerCode, string Currency);

    /// <summary>Body of an account request.</summary>
    public sealed record AccountBody(string CustomerCode, string? Name, string? Currency);

    /// <summary>Body of a charge request.</summary>
    public sealed record ChargeBody(Guid OrderId, string? OrderNumber, string CustomerCode, decimal Amount, string? Currency);

    /// <summary>Body of a reversal request.</summary>
    public sealed record ReversalBody(Guid OrderId, string? Reason, string? ChargeId = null);
}

/// <summary>Everything billing received under one idempotency key.</summary>
public sealed class BillingRecord(string key, string kind, Guid orderId)
{
    /// <summary>The idempotency key.</summary>
    public string Key { get; } = key;
    /// <summary><c>charge</c> or <c>reversal</c>.</summary>
    public string Kind { get; } = kind;
    /// <summary>The order it concerns.</summary>
    public Guid OrderId { get; } = orderId;
    /// <summary>How many calls carried this key.</summary>
    public int Calls { get; set; }
    /// <summary>How many times the effect happened (a charge made, a charge reversed): exactly-once means 1.</summary>
    public int Effects { get; set; }
    /// <summary>Customer charged (charges only).</summary>
    public string? CustomerCode { get; set; }
    /// <summary>Billing's reference of the charge made (charges only).</summary>
    public string? ChargeId { get; set; }
    /// <summary>Amount charged (charges only).</summary>
    public decimal Amount { get; set; }
    /// <summary>Why the call was refused, if it was.</summary>
    public string? Refusal { get; set; }
    /// <summary>The first answer, repeated to every retry.</summary>
    public object? Response { get; set; }
}
