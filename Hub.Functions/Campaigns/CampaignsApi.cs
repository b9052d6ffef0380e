using System.Text.Json;
using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Functions.Notifications.Templates;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Campaigns;

/// <summary>Which registered recipients a campaign goes to; every given criterion must hold.</summary>
/// <param name="Kind"><c>customer</c>, <c>contact</c> or <c>dealer</c>; absent: all three.</param>
/// <param name="Language"><c>zh</c> or <c>en</c>.</param>
/// <param name="Tag">A tag the recipient carries.</param>
/// <param name="CustomerCodes">Recipients of these customers.</param>
public sealed record CampaignFilter(string? Kind, string? Language, string? Tag, IReadOnlyList<string>? CustomerCodes);

/// <summary>Body of <c>POST /api/notifications/campaigns</c>.</summary>
/// <param name="CampaignId">Chosen by the caller so a repeated request starts it once; absent: a new one.</param>
/// <param name="Name">Name for people.</param>
/// <param name="Channel"><c>email</c> or <c>sms</c>.</param>
/// <param name="Filter">Whom it goes to.</param>
/// <param name="Content">
/// The message per language (<c>zh</c> and <c>en</c>): <c>subject</c>, <c>text</c>, <c>html</c> for email, <c>sms</c>
/// for SMS. <c>{{recipientName}}</c> is the only placeholder; the unsubscribe footer is added.
/// </param>
public sealed record CampaignRequest(Guid? CampaignId, string? Name, string? Channel, CampaignFilter? Filter,
    IReadOnlyDictionary<string, MessageTemplate>? Content);

/// <summary>A campaign and how its notifications stand.</summary>
public sealed record CampaignView(Guid CampaignId, string Name, string Channel, string State, int Recipients, IReadOnlyDictionary<string, int> Notifications,
    DateTimeOffset CreatedAt, DateTimeOffset? FannedOutAt);

/// <summary>Bulk email and SMS (003 §3.13 邮件群发/短信群发): start a campaign, follow it.</summary>
public static class CampaignsApi
{
    /// <summary>Maps <c>/api/notifications/campaigns</c>.</summary>
    public static void MapCampaignsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications/campaigns").WithTags("Notifications");
        group.MapPost("/", Start).RequireAuthorization(NotificationsAccess.Write);
        group.MapGet("/{campaignId:guid}", async Task<Results<Ok<CampaignView>, ProblemHttpResult>> (Guid campaignId, HubDbContext db, CancellationToken ct) =>
            await ViewOf(db, campaignId, ct) is { } view
                ? TypedResults.Ok(view)
                : TypedResults.Problem(statusCode: 404, title: "No such campaign."))
            .RequireAuthorization(NotificationsAccess.Read);
    }

    /// <summary>
    /// Validates the campaign (content in both languages, filled in with a sample recipient), stores it and sends
    /// its first batch; the recipients are then selected in batches and notified at the channel's pace.
    /// </summary>
    private static async Task<Results<Accepted<CampaignView>, ValidationProblem>> Start(CampaignRequest request, HubDbContext db,
        ISendEndpointProvider send, NotificationTemplates templates, IOptions<FunctionsOptions> functions, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request, templates, functions.Value.CompanyZone());
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The campaign is not valid.");

        var id = request.CampaignId ?? NewId.NextGuid();
        if (await db.Set<NotificationCampaign>().FindAsync([id], ct) is null)
        {
            var filter = request.Filter ?? new CampaignFilter(null, null, null, null);
            db.Add(new NotificationCampaign
            {
                Id = id,
                Name = request.Name!.Trim(),
                Channel = request.Channel!,
                Kind = filter.Kind,
                Language = filter.Language,
                Tag = filter.Tag?.Trim(),
                CustomerCodes = filter.CustomerCodes is { Count: > 0 } codes ? ";" + string.Concat(codes.Select(c => c.Trim() + ";")) : null,
                Content = JsonSerializer.Serialize(request.Content, JsonSerializerOptions.Web),
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        var view = (await ViewOf(db, id, ct))!;
        // A repeat of the request while it fans out sends the first batch again: batches notify each recipient once.
        if (view.State == CampaignState.FanningOut)
            await (await send.GetSendEndpoint(HubQueues.Address(HubQueues.Notifications))).Send(new SendCampaignBatch(id, null), ct);
        return TypedResults.Accepted($"/api/notifications/campaigns/{id}", view);
    }

    private static Dictionary<string, string[]> Validate(CampaignRequest r, NotificationTemplates templates, TimeZoneInfo zone)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 100)
            errors["name"] = ["is required, at most 100 characters"];
        if (r.Channel is not (NotificationChannel.Email or NotificationChannel.Sms))
            errors["channel"] = ["must be email or sms"];
        var f = r.Filter;
        if (f?.Kind is not null && f.Kind is not ("customer" or "contact" or "dealer"))
            errors["filter.kind"] = ["must be customer, contact or dealer"];
        if (f?.Language is not null && !NotificationTemplates.Languages.Contains(f.Language))
            errors["filter.language"] = ["must be zh or en"];
        if (f?.Tag is { } tag && (tag.Trim().Length is 0 or > 32 || tag.Contains(';')))
            errors["filter.tag"] = ["must be 1-32 characters without ;"];
        if (f?.CustomerCodes is { } codes && (codes.Count > 500 || codes.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 64 || c.Contains(';'))))
            errors["filter.customerCodes"] = ["at most 500 customer codes of 1-64 characters without ;"];
        foreach (var language in NotificationTemplates.Languages)
        {
            var field = $"content.{language}";
            if (r.Content?.GetValueOrDefault(language) is not { } content)
            {
                errors[field] = ["is required: campaigns are written in every language recipients read"];
                continue;
            }
            if (r.Channel is NotificationChannel.Email or NotificationChannel.Sms && !content.Has(r.Channel))
                errors[field] = [r.Channel == NotificationChannel.Email ? "needs subject, text and html" : "needs sms"];
            else if (content.Sms is { Length: > 300 } || content.Subject is { Length: > 200 })
                errors[field] = ["sms is at most 300 and subject at most 200 characters"];
            else
            {
                try
                {
                    templates.Render("campaign", language, new Dictionary<string, object?> { ["recipientName"] = "-", ["unsubscribeUrl"] = "-" }, zone, content);
                }
                catch (TemplateException ex)
                {
                    errors[field] = [.. ex.Problems];
                }
            }
        }
        return errors;
    }

    private static async Task<CampaignView?> ViewOf(HubDbContext db, Guid id, CancellationToken ct)
    {
        var campaign = await db.Set<NotificationCampaign>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
            return null;
        var counts = await db.Set<Notification>().Where(n => n.CampaignId == id).GroupBy(n => n.State)
            .Select(g => new { State = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.State, g => g.Count, ct);
        return new CampaignView(campaign.Id, campaign.Name, campaign.Channel, campaign.State, campaign.Recipients, counts, campaign.CreatedAt,
            campaign.FannedOutAt);
    }
}
