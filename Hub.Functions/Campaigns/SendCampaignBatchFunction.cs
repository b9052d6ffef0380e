using System.Text.Json;
using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Functions.Notifications.Templates;
using Hub.Infrastructure;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Campaigns;

/// <summary>
/// Notifies one batch of a campaign's recipients (by key order, after the previous batch's last key) and sends
/// the next batch, until none are left. Each batch is one transaction; the notifications then go at the channel's
/// pace, so a large campaign neither holds the database nor floods the gateway. Opted-out recipients are skipped.
/// </summary>
[BusTrigger(typeof(SendCampaignBatch))]
public sealed class SendCampaignBatchFunction(HubDbContext db, Notifier notifier, IOptions<NotificationsOptions> options, TimeProvider clock)
    : IFunction<SendCampaignBatch>
{
    public async Task Run(SendCampaignBatch message, FunctionContext context)
    {
        var ct = context.CancellationToken;
        var campaign = await db.Set<NotificationCampaign>().SingleOrDefaultAsync(c => c.Id == message.CampaignId, ct)
            ?? throw new InvalidOperationException($"Campaign {message.CampaignId} does not exist.");
        if (campaign.State != CampaignState.FanningOut)
            return;

        var recipients = db.Set<NotificationRecipient>().AsNoTracking()
            .Where(r => !(campaign.Channel == NotificationChannel.Email ? r.EmailOptOut : r.SmsOptOut));
        recipients = campaign.Kind is { } kind
            ? recipients.Where(r => r.Key.StartsWith(kind + ":"))
            : recipients.Where(r => r.Key.StartsWith("customer:") || r.Key.StartsWith("contact:") || r.Key.StartsWith("dealer:"));
        if (campaign.Language is { } language)
            recipients = recipients.Where(r => r.Language == language);
        if (campaign.Tag is { } tag)
            recipients = recipients.Where(r => r.Tags.Contains(";" + tag + ";"));
        if (campaign.CustomerCodes is { } codes)
            recipients = recipients.Where(r => r.CustomerCode != null && codes.Contains(";" + r.CustomerCode + ";"));
        if (message.AfterRecipientKey is { } after)
            recipients = recipients.Where(r => string.Compare(r.Key, after) > 0);
        var batch = await recipients.OrderBy(r => r.Key).Take(options.Value.CampaignBatchSize).ToListAsync(ct);

        var content = JsonSerializer.Deserialize<Dictionary<string, MessageTemplate>>(campaign.Content, JsonSerializerOptions.Web)!;
        await notifier.NotifyAsync(batch.Select(r => new NotificationRequest("campaign", campaign.Id.ToString("N"), r.Key, new Dictionary<string, object?>())
        {
            Channel = campaign.Channel,
            CampaignId = campaign.Id,
            Content = content,
            Marketing = true,
        }).ToArray(), context);

        campaign.Recipients += batch.Count;
        if (batch.Count == options.Value.CampaignBatchSize)
            await (await context.Output.GetSendEndpoint(HubQueues.Address(HubQueues.Notifications)))
                .Send(new SendCampaignBatch(campaign.Id, batch[^1].Key), ct);
        else
        {
            campaign.State = CampaignState.FannedOut;
            campaign.FannedOutAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
    }
}
