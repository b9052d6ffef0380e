using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications.Templates;
using Hub.Functions.Sms;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Notifications;

/// <summary>What a function asks to tell one recipient about one event.</summary>
/// <param name="Template">Template name, e.g. <c>order-completed</c>.</param>
/// <param name="BusinessKey">What it is about (an order number); with the template, the event's identity for dedupe.</param>
/// <param name="RecipientKey">Who, in the recipient registry (<see cref="RecipientKeys"/>).</param>
/// <param name="Data">Values for the template's placeholders.</param>
public sealed record NotificationRequest(string Template, string BusinessKey, string RecipientKey, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>An email address the event itself carries (it wins over the registry's).</summary>
    public string? Email { get; init; }
    /// <summary>The customer whose timeline shows it.</summary>
    public string? CustomerCode { get; init; }
    /// <summary>Alarms: ignores quiet hours.</summary>
    public bool Urgent { get; init; }
    /// <summary>Marketing and care messages: an unsubscribe footer is added, and they go only to registered recipients.</summary>
    public bool Marketing { get; init; }
    /// <summary>Not to be delivered before this.</summary>
    public DateTimeOffset? NotBefore { get; init; }
    /// <summary>Only this channel (a campaign's); otherwise every channel the template has.</summary>
    public string? Channel { get; init; }
    /// <summary>The bulk campaign it belongs to.</summary>
    public Guid? CampaignId { get; init; }
    /// <summary>The message per language when it is not a catalogue template (campaigns).</summary>
    public IReadOnlyDictionary<string, MessageTemplate>? Content { get; init; }

    /// <summary>A right the recipient must still hold when it is sent (checked again at every send; skipped otherwise).</summary>
    public RecipientRight? RecipientMustHold { get; init; }

    /// <summary>The event's identity: with channel and address, notified once.</summary>
    public string DedupeKey => $"{Template}:{BusinessKey}";
}

/// <summary>A member of staff's right to use <paramref name="Permission"/> over records of <paramref name="OwnerUserId"/>.</summary>
public sealed record RecipientRight(string Permission, string OwnerUserId);

/// <summary>
/// The notification pipeline's first half, shared by every function: event → recipients (registry, language,
/// opt-outs) → template per channel → a recorded notification per channel and address, deduplicated by the event's
/// identity → handed to the channel's queue (<see cref="DeliverEmail"/>, <see cref="DeliverSms"/>), unless it must
/// wait (<see cref="Notification.NotBefore"/>: the release timer hands it over when due). A template that cannot be
/// filled is recorded as failed with the reason and never sent.
/// </summary>
public sealed class Notifier(
    HubDbContext db,
    NotificationTemplates templates,
    IOptions<NotificationsOptions> options,
    IOptions<FunctionsOptions> functions,
    TimeProvider clock,
    ILogger<Notifier> logger,
    IEnumerable<ISmsGateway> smsGateways)
{
    private static readonly string[] Channels = [NotificationChannel.Email, NotificationChannel.Sms];
    private readonly bool _smsEnabled = smsGateways.Any();

    /// <summary>
    /// Which of <paramref name="planned"/> (event dedupe key, channel, address) a notification exists for already. Addresses
    /// are sealed, so rows are found by the addresses' blind indexes (the unique dedupe index is on the same columns) under
    /// every index key held: a row written before an index-key switch carries the old key's index, and the same event at the
    /// same address must still not be sent twice.
    /// </summary>
    public static async Task<HashSet<(string DedupeKey, string Channel, string Address)>> AlreadyNotifiedAsync(HubDbContext db,
        IEnumerable<(string DedupeKey, string Channel, string Address)> planned, CancellationToken ct)
    {
        var list = planned.Distinct().ToList();
        if (list.Count == 0)
            return [];
        var keys = db.RequiredColumnKeys;
        var byIndex = list.SelectMany(p => keys.BlindIndexes(p.Address).Select(index => (Index: index, p.Address))).ToLookup(x => x.Index, x => x.Address);
        var dedupeKeys = list.Select(p => p.DedupeKey).Distinct().ToArray();
        var indexes = byIndex.Select(g => g.Key).ToArray();
        var found = await db.Set<Notification>().AsNoTracking()
            .Where(n => dedupeKeys.Contains(n.DedupeKey!) && indexes.Contains(n.RecipientIndex))
            .Select(n => new { n.DedupeKey, n.Channel, n.RecipientIndex }).ToListAsync(ct);
        return found.SelectMany(n => byIndex[n.RecipientIndex].Select(address => (n.DedupeKey!, n.Channel, address)))
            .Where(list.Contains).ToHashSet();
    }

    /// <summary>Records and dispatches the notifications <paramref name="requests"/> call for; returns those recorded now.</summary>
    public async Task<IReadOnlyList<Notification>> NotifyAsync(IReadOnlyCollection<NotificationRequest> requests, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow();
        var zone = functions.Value.CompanyZone();
        var keys = requests.Select(r => r.RecipientKey).Distinct().ToArray();
        var recipients = await db.Set<NotificationRecipient>().AsNoTracking().Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, ct);

        var planned = new List<(NotificationRequest Request, NotificationRecipient? Recipient, string Channel, string Address)>();
        foreach (var request in requests)
        {
            var recipient = recipients.GetValueOrDefault(request.RecipientKey);
            if (request.Marketing && recipient is null)
                continue;
            foreach (var channel in Channels)
            {
                var address = RecipientKeys.Address(channel,
                    channel == NotificationChannel.Email ? request.Email ?? recipient?.Email : recipient?.Phone);
                if (address is null || (request.Channel ?? channel) != channel || (channel == NotificationChannel.Sms && !_smsEnabled))
                    continue;
                if (!TemplateFor(request, recipient).Has(channel))
                    continue;
                planned.Add((request, recipient, channel, address));
            }
        }
        var optedOut = await RecipientRegistry.OptedOutAddresses(db, planned.Select(p => (p.Channel, p.Address)), ct);
        var notified = await AlreadyNotifiedAsync(db, planned.Select(p => (p.Request.DedupeKey, p.Channel, p.Address)), ct);

        var created = new List<Notification>();
        foreach (var (request, recipient, channel, address) in planned)
        {
            if (recipient?.OptedOut(channel) == true || optedOut.Contains((channel, address)))
            {
                logger.LogInformation("Not sending {Template} to {RecipientKey} by {Channel}: opted out", request.Template, request.RecipientKey, channel);
                continue;
            }
            if (!notified.Add((request.DedupeKey, channel, address)))
                continue;
            var language = recipient?.Language ?? options.Value.DefaultLanguage;
            var notification = new Notification
            {
                Id = NewId.NextGuid(),
                SourceMessageId = context.MessageId,
                Channel = channel,
                Recipient = address,
                Template = request.Template,
                Subject = Truncate(request.BusinessKey, 64),
                DedupeKey = request.DedupeKey,
                RecipientKey = request.RecipientKey,
                CustomerCode = request.CustomerCode ?? recipient?.CustomerCode,
                Language = language,
                Urgent = request.Urgent,
                NotBefore = request.NotBefore > now ? request.NotBefore.Value.UtcDateTime : null,
                CampaignId = request.CampaignId,
                RecipientMustHold = request.RecipientMustHold?.Permission,
                OverRecordsOf = request.RecipientMustHold?.OwnerUserId,
                CreatedAt = now,
                RecordedAt = now.UtcDateTime,
            };
            try
            {
                Fill(notification, request, recipient, language, zone);
            }
            catch (TemplateException ex)
            {
                logger.LogError(ex, "Notification {Template} to {RecipientKey} not sent: the template could not be filled", request.Template, request.RecipientKey);
                notification.State = NotificationState.Failed;
                notification.Error = ex.Message;
            }
            db.Add(notification);
            created.Add(notification);
        }

        var dispatch = created.Where(n => n.State == NotificationState.Queued && n.NotBefore is null).ToArray();
        foreach (var notification in dispatch)
            notification.DispatchedAt = now.UtcDateTime;
        await db.SaveChangesAsync(ct);
        foreach (var notification in dispatch)
            await Dispatch(notification, context.Output, ct);
        return created;
    }

    /// <summary>Hands <paramref name="notification"/> to its channel's queue.</summary>
    public static async Task Dispatch(Notification notification, ISendEndpointProvider output, CancellationToken ct)
    {
        if (notification.Channel == NotificationChannel.Email)
            await (await output.GetSendEndpoint(HubQueues.Address(HubQueues.NotificationsEmail))).Send(new DeliverEmail(notification.Id), ct);
        else
            await (await output.GetSendEndpoint(HubQueues.Address(HubQueues.NotificationsSms))).Send(new DeliverSms(notification.Id), ct);
    }

    private MessageTemplate TemplateFor(NotificationRequest request, NotificationRecipient? recipient)
    {
        var language = recipient?.Language ?? options.Value.DefaultLanguage;
        return request.Content is { } content
            ? content.GetValueOrDefault(language) ?? content.Values.First()
            : templates.Get(request.Template, language);
    }

    private void Fill(Notification notification, NotificationRequest request, NotificationRecipient? recipient, string language, TimeZoneInfo zone)
    {
        var data = new Dictionary<string, object?>(request.Data)
        {
            ["recipientName"] = recipient?.Name ?? templates.Term(language, "recipient"),
            ["unsubscribeUrl"] = recipient is null ? null : UnsubscribeUrl(recipient),
        };
        var message = templates.Render(request.Template, language, data, zone, request.Content is null ? null : TemplateFor(request, recipient));
        if (request.Marketing)
        {
            var footer = templates.Render("campaign-footer", language, data, zone);
            message = new RenderedMessage(message.Subject, message.Text + footer.Text, message.Html + footer.Html, message.Sms + footer.Sms);
        }
        if (notification.Channel == NotificationChannel.Email)
        {
            notification.Title = message.Subject;
            notification.Body = message.Text;
            notification.HtmlBody = message.Html;
        }
        else
            notification.Body = message.Sms;
    }

    /// <summary>The one-click unsubscribe address in <paramref name="recipient"/>'s emails.</summary>
    public string UnsubscribeUrl(NotificationRecipient recipient) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}{RecipientsApi.UnsubscribePath}?token={recipient.UnsubscribeToken}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
