using Hub.Functions.Notifications;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Sms;

/// <summary>
/// What Kannel calls back: delivery reports (the <c>dlr-url</c> of each SMS) and replies from phones (an
/// <c>sms-service</c> whose <c>get-url</c> points here), of which TD / STOP / 退订 opt the number out of SMS.
/// </summary>
public static class KannelWebhooks
{
    /// <summary>Where delivery reports arrive.</summary>
    public const string DeliveryReportPath = "/webhooks/sms/kannel/dlr";

    /// <summary>Where replies from phones arrive.</summary>
    public const string InboundPath = "/webhooks/sms/kannel/inbound";

    private static readonly string[] OptOutWords = ["TD", "T", "N", "STOP", "UNSUBSCRIBE", "退订", "取消"];

    /// <summary>Maps <see cref="DeliveryReportPath"/> and <see cref="InboundPath"/>.</summary>
    public static void MapKannelWebhooks(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(DeliveryReportPath, DeliveryReport).WithTags("SMS gateway");
        routes.MapGet(InboundPath, Inbound).WithTags("SMS gateway");
    }

    /// <summary>
    /// A delivery report: <c>id</c> and <c>sig</c> name the notification, <c>status</c> is Kannel's report type (1
    /// delivered, 2 not delivered, 4 queued on SMSC, 8 accepted by SMSC, 16 rejected by SMSC), <c>answer</c> the SMSC's
    /// words, <c>smsc-id</c> its message id. Final reports move a sent SMS to delivered or failed; intermediate ones are
    /// noted; a repeat or a report after the final one changes nothing.
    /// </summary>
    private static async Task<IResult> DeliveryReport(string? id, string? sig, string? status, string? answer, [FromQuery(Name = "smsc-id")] string? smscId,
        HubDbContext db, IOptions<KannelOptions> options, PartnerDirectory partners, HttpContext http, ILoggerFactory logs, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParseExact(id, "N", out var notificationId) && !Guid.TryParse(id, out notificationId))
            errors["id"] = ["must be a notification id"];
        if (!int.TryParse(status, out var type) || type is not (1 or 2 or 4 or 8 or 16))
            errors["status"] = ["must be a Kannel delivery report type: 1, 2, 4, 8 or 16"];
        if (answer is { Length: > 200 } || smscId is { Length: > 100 })
            errors["answer"] = ["answer must be at most 200 and smsc-id at most 100 characters"];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "Not a Kannel delivery report.");
        var o = options.Value;
        if (!o.Enabled || !KannelSmsGateway.IsSigned(o.DlrSecret!, notificationId, sig))
            return Results.Problem(statusCode: 403, title: "The delivery report is not signed by this hub.");
        // The gateway's IP lock (its partner account's networks) holds for its delivery reports too; answered as a bad signature.
        if (await partners.FindAsync(PartnerKinds.SmsGateway, InboundPartner, ct) is { } gateway && !gateway.AllowsAddress(http.Connection.RemoteIpAddress))
        {
            logs.CreateLogger(typeof(KannelWebhooks)).LogWarning("Kannel delivery report refused: {Address} is outside the SMS gateway's allowed networks",
                http.Connection.RemoteIpAddress);
            return Results.Problem(statusCode: 403, title: "The delivery report is not signed by this hub.");
        }

        var notifications = db.Set<Notification>().Where(n => n.Id == notificationId && n.Channel == NotificationChannel.Sms);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Kannel may report before the delivery that sent the SMS has committed; taking the row first waits for that
        // transaction (it holds the row), so the report sees "sent" rather than the "queued" it started from.
        if (await notifications.ExecuteUpdateAsync(s => s.SetProperty(n => n.State, n => n.State), ct) == 0)
            return Results.Problem(statusCode: 404, title: "No such SMS notification.", detail: $"Notification {notificationId} is not an SMS this hub sent.");

        var providerStatus = $"kannel dlr {type}: {answer}".Trim();
        var reference = string.IsNullOrWhiteSpace(smscId) ? null : smscId.Trim();
        var sent = notifications.Where(n => n.State == NotificationState.Sent);
        _ = type switch
        {
            1 => await sent.ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Delivered)
                .SetProperty(n => n.DeliveredAt, clock.GetUtcNow()).SetProperty(n => n.ProviderStatus, providerStatus)
                .SetProperty(n => n.ProviderReference, n => reference ?? n.ProviderReference), ct),
            2 or 16 => await sent.ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Failed)
                .SetProperty(n => n.Error, $"Not delivered (Kannel report {type}): {answer}").SetProperty(n => n.ProviderStatus, providerStatus)
                .SetProperty(n => n.ProviderReference, n => reference ?? n.ProviderReference), ct),
            _ => await sent.ExecuteUpdateAsync(s => s.SetProperty(n => n.ProviderStatus, providerStatus)
                .SetProperty(n => n.ProviderReference, n => reference ?? n.ProviderReference), ct),
        };
        var state = await notifications.Select(n => n.State).SingleAsync(ct);
        await transaction.CommitAsync(ct);
        return Results.Ok(new { notificationId, state });
    }

    /// <summary>The partner account of the key Kannel passes on inbound SMS (kind <c>sms-gateway</c>).</summary>
    public const string InboundPartner = "kannel-inbound";

    /// <summary><c>Sms:Kannel:InboundKey</c> as a partner account, for the start-up import.</summary>
    public static IEnumerable<PartnerSeed> Configured(KannelOptions options) => string.IsNullOrEmpty(options.InboundKey)
        ? []
        : [new PartnerSeed(PartnerKinds.SmsGateway, InboundPartner, null, options.InboundKey, AllowedNetworks: options.AllowedNetworks)];

    /// <summary>
    /// A reply from a phone (<c>key</c> is the <c>kannel-inbound</c> partner's key, imported from
    /// <c>Sms:Kannel:InboundKey</c>; <c>from</c> the number, <c>text</c> the words). An opt-out word opts every recipient
    /// with that number out of SMS; the answer body is Kannel's reply SMS (empty: none, with <c>omit-empty = true</c> in
    /// the sms-service).
    /// </summary>
    private static async Task<IResult> Inbound(string? key, string? from, string? text, HubDbContext db, PartnerDirectory partners,
        TimeProvider clock, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        var gateway = await partners.FindAsync(PartnerKinds.SmsGateway, InboundPartner, ct);
        if (gateway is null)
            return Results.Problem(statusCode: 404, title: "Inbound SMS are not enabled (Sms:Kannel:InboundKey).");
        if (key is null || !gateway.Accepts(key))
            return Results.Problem(statusCode: 403, title: "Wrong inbound key.");
        // IP lock per partner: from elsewhere the right key answers as a wrong one (the log says why).
        if (!gateway.AllowsAddress(http.Connection.RemoteIpAddress))
        {
            logs.CreateLogger(typeof(KannelWebhooks)).LogWarning("Kannel inbound SMS refused: {Address} is outside the SMS gateway's allowed networks",
                http.Connection.RemoteIpAddress);
            return Results.Problem(statusCode: 403, title: "Wrong inbound key.");
        }
        var phone = RecipientKeys.Address(NotificationChannel.Sms, from);
        if (phone is null || text is null || text.Length > 1000)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["must be the sender's number, with the text in text"] },
                title: "Not an inbound SMS.");
        if (!OptOutWords.Contains(text.Trim().ToUpperInvariant()))
            return Results.Text("", "text/plain; charset=utf-8");

        // The number is sealed at rest: every recipient with it is found by its blind index (under every index key held).
        var indexes = db.RequiredColumnKeys.BlindIndexes(RecipientKeys.PhoneIndexKey(phone));
        var recipients = db.Set<NotificationRecipient>().Where(r => indexes.Contains(r.PhoneIndex));
        var english = await recipients.AnyAsync(r => r.Language == "en", ct) && !await recipients.AnyAsync(r => r.Language == "zh", ct);
        await recipients.ExecuteUpdateAsync(s => s.SetProperty(r => r.SmsOptOut, true).SetProperty(r => r.UpdatedAt, clock.GetUtcNow()), ct);
        // Kannel sends a reply as 7-bit GSM unless told UCS-2 (needs accept-x-kannel-headers = true in the sms-service).
        http.Response.Headers["X-Kannel-Coding"] = english ? "0" : "2";
        return Results.Text(english ? "You will receive no more text messages from us." : "您已退订短信通知。", "text/plain; charset=utf-8");
    }
}
