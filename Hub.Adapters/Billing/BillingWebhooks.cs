using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Contracts.Billing;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Billing;

/// <summary>Settings of billing's webhooks (section <c>Partners:Billing:Webhooks</c>).</summary>
public sealed class BillingWebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Partners:Billing:Webhooks";

    /// <summary>
    /// Shared HMAC secrets, imported at start into <c>partner_account</c> (kind <c>billing</c>: <c>billing</c> for the first,
    /// <c>billing-&lt;n&gt;</c> for the others); the check reads the store. More than one while a secret is rotated.
    /// </summary>
    public string[] Secrets { get; set; } = [];

    /// <summary>
    /// The networks (CIDR or addresses) billing calls from, imported at start with the secrets (each billing partner account);
    /// none: any address.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>How far a signature's timestamp may be from now before it is refused as a replay.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One webhook delivery billing made, kept by its event id so a repeat changes nothing (table <c>billing_webhook_event</c>).</summary>
public sealed class BillingWebhookEvent
{
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public Guid OrderId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string Payload { get; set; } = "";
}

/// <summary>Body of a billing webhook.</summary>
public sealed record BillingWebhookBody(string? Id, string? Type, Guid OrderId, string? ChargeId, decimal? Amount, string? Currency, string? Reason,
    DateTimeOffset? OccurredAt);

/// <summary>
/// <c>POST /webhooks/billing</c>: billing's payment reports, signed with HMAC-SHA256 over
/// <c>{timestamp}.{raw body}</c> in <c>Billing-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>. A bad
/// signature or a timestamp outside the tolerance is refused (401); a repeated event id is
/// acknowledged and changes nothing; a good event becomes a bus event.
/// </summary>
public static class BillingWebhooks
{
    /// <summary>Header carrying the signature.</summary>
    public const string SignatureHeader = "Billing-Signature";

    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the endpoint.</summary>
    public static void MapBillingWebhooks(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/webhooks/billing", Receive).WithTags("Webhooks").DisableAntiforgery();

    /// <summary>The signature header billing sends for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.ASCII.GetByteCount(timestamp.ToString(CultureInfo.InvariantCulture)) + 1 + body.Length];
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary>The configured secrets as partner accounts, for the start-up import.</summary>
    public static IEnumerable<PartnerSeed> Configured(BillingWebhookOptions options) =>
        options.Secrets.Select((secret, n) => new PartnerSeed(PartnerKinds.Billing, n == 0 ? "billing" : $"billing-{n}", null, secret,
            AllowedNetworks: options.AllowedNetworks));

    private static async Task<IResult> Receive(HttpContext http, IOptions<BillingWebhookOptions> options, PartnerDirectory partners, HubDbContext db,
        IPublishEndpoint publish, TimeProvider clock, ILoggerFactory logs)
    {
        var ct = http.RequestAborted;
        // The signature covers the exact bytes billing sent: read them raw, before any JSON parsing.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Webhook body too large.");
        var raw = buffer.ToArray();

        // Only the secrets of billing partners allowed from the caller's address count (IP lock per partner).
        var address = http.Connection.RemoteIpAddress;
        var enabled = await partners.EnabledAsync(PartnerKinds.Billing, ct);
        var secrets = enabled.Where(p => p.AllowsAddress(address)).Select(p => p.Secret).OfType<string>().ToList();
        var header = http.Request.Headers[SignatureHeader].ToString();
        if (Verify(header, raw, secrets, options.Value.Tolerance, clock.GetUtcNow()) is { } refusal)
        {
            var elsewhere = secrets.Count < enabled.Count
                && Verify(header, raw, [.. enabled.Select(p => p.Secret).OfType<string>()], options.Value.Tolerance, clock.GetUtcNow()) is null;
            var log = logs.CreateLogger(typeof(BillingWebhooks));
            if (elsewhere)
                log.LogWarning("Billing webhook refused: signed by a billing partner not allowed from {Address}", address);
            else
                log.LogWarning("Billing webhook refused: {Reason}", refusal);
            // From outside the partner's networks the answer tells nothing about the signature.
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook signature refused.", detail: elsewhere ? null : refusal);
        }

        BillingWebhookBody? body;
        try { body = JsonSerializer.Deserialize<BillingWebhookBody>(raw, JsonSerializerOptions.Web); }
        catch (JsonException ex) { return Results.Problem(statusCode: 400, title: "The webhook body could not be read.", detail: ex.Message); }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Id) || body.Id.Length > 128) errors["id"] = ["id is required (at most 128 characters)."];
        if (body?.Type is not ("payment.received" or "charge.failed")) errors["type"] = ["type is 'payment.received' or 'charge.failed'."];
        if (body is null || body.OrderId == Guid.Empty) errors["orderId"] = ["orderId is required."];
        if (string.IsNullOrWhiteSpace(body?.ChargeId)) errors["chargeId"] = ["chargeId is required."];
        if (body?.Type == "payment.received" && (body.Amount is not > 0 || body.Currency?.Length != 3))
            errors["amount"] = ["payment.received needs a positive amount and a 3-letter currency."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The webhook is invalid.");

        if (await db.Set<BillingWebhookEvent>().AnyAsync(e => e.EventId == body!.Id, ct))
            return Results.Ok(new { received = body!.Id, duplicate = true });

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(new BillingWebhookEvent { EventId = body!.Id!, Type = body.Type!, OrderId = body.OrderId, ReceivedAt = now.UtcDateTime, Payload = Encoding.UTF8.GetString(raw) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same event arriving twice at once: the other delivery recorded it.
            return Results.Ok(new { received = body.Id, duplicate = true });
        }
        // The message id is the event id's: should commit fail after publishing, billing's retry publishes the same message,
        // which the consumers' inbox drops.
        var messageId = MessageIdOf(body.Id!);
        if (body.Type == "payment.received")
            await publish.Publish(new BillingPaymentReceived(body.OrderId, body.ChargeId!, body.Amount!.Value, body.Currency!, body.Id!, body.OccurredAt ?? now),
                ctx => ctx.MessageId = messageId, ct);
        else
            await publish.Publish(new BillingChargeFailed(body.OrderId, body.ChargeId!, body.Reason ?? "unknown", body.Id!, body.OccurredAt ?? now),
                ctx => ctx.MessageId = messageId, ct);
        await transaction.CommitAsync(ct);
        return Results.Ok(new { received = body.Id, duplicate = false });
    }

    /// <summary>Why the signature is refused, or null when it is good.</summary>
    internal static string? Verify(string header, byte[] body, IReadOnlyList<string> secrets, TimeSpan tolerance, DateTimeOffset now)
    {
        if (secrets.Count == 0)
            return "no enabled billing secret (partner_account kind billing; configuration: Partners:Billing:Webhooks:Secrets)";
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (kv[0] == "v1") signatures.Add(kv[1]);
        }
        if (timestamp is null || signatures.Count == 0)
            return $"{SignatureHeader} must read t=<unix seconds>,v1=<hex HMAC-SHA256>";
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > tolerance.TotalSeconds)
            return "the timestamp is outside the tolerance (a replay or a clock far off)";
        foreach (var secret in secrets)
        {
            var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp.Value, body).Split("v1=")[1]);
            if (signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s.ToLowerInvariant()), expected)))
                return null;
        }
        return "the signature does not match the body";
    }

    private static Guid MessageIdOf(string eventId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("billing-webhook:" + eventId)).AsSpan(0, 16));
}

/// <summary>Table of <see cref="BillingWebhookEvent"/>.</summary>
internal sealed class BillingWebhookStoreModel : IHubStoreModel
{
    public string Module => "billing-webhooks";

    public void Configure(ModelBuilder model) => model.Entity<BillingWebhookEvent>(e =>
    {
        e.ToTable("billing_webhook_event");
        e.HasKey(x => x.EventId);
        e.Property(x => x.EventId).HasMaxLength(128);
        e.Property(x => x.Type).HasMaxLength(32);
        e.HasIndex(x => x.OrderId);
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("billing-webhooks", 1, "create billing_webhook_event", m =>
        {
            m.CreateTable("billing_webhook_event", t => new
            {
                EventId = t.Column<string>(maxLength: 128, nullable: false),
                Type = t.Column<string>(maxLength: 32, nullable: false),
                OrderId = t.Column<Guid>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
                Payload = t.Column<string>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_billing_webhook_event", x => x.EventId));
            m.CreateIndex("ix_billing_webhook_event_order", "billing_webhook_event", "OrderId");
        }),
    ];
}
