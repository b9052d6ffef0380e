using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Notifications;

/// <summary>A notification as the customer timeline and the operations view show it.</summary>
public sealed record NotificationView(Guid Id, string Channel, string Recipient, string? RecipientKey, string? CustomerCode, string Template,
    string Subject, string? Language, string State, string? Error, string? Title, string? Body, bool Urgent, DateTime? NotBefore,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, string? ProviderStatus, Guid? CampaignId);

/// <summary>
/// The notifications as recorded: a customer's timeline (<c>?customerCode=</c>) and the operations view's list
/// (<c>?state=failed</c>, <c>?recipient=</c> an exact address or number), newest first.
/// </summary>
public static class NotificationsApi
{
    /// <summary>Maps <c>/api/notifications</c>.</summary>
    public static void MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(NotificationsAccess.Read);
        group.MapGet("/", Search);
        group.MapGet("/{id:guid}", async (Guid id, HubDbContext db, CancellationToken ct) =>
            await db.Set<Notification>().AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct) is { } found
                ? Results.Ok(View(found))
                : Results.Problem(statusCode: 404, title: "No such notification."));
    }

    private static async Task<IResult> Search(HubDbContext db, string? customerCode, string? recipientKey, string? recipient, string? subject, string? state,
        string? channel, Guid? campaignId, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not (null or NotificationState.Queued or NotificationState.Sent or NotificationState.Delivered or NotificationState.Failed
            or NotificationState.Skipped))
            errors["state"] = ["must be queued, sent, delivered, failed or skipped"];
        if (channel is not (null or NotificationChannel.Email or NotificationChannel.Sms))
            errors["channel"] = ["must be email or sms"];
        if (customerCode is { Length: > 64 } || recipientKey is { Length: > 100 } || subject is { Length: > 64 })
            errors["customerCode"] = ["search terms are too long"];
        // Addresses are sealed at rest: only a whole address or number is found (by its blind index), never a part of one.
        var address = string.IsNullOrWhiteSpace(recipient) ? null
            : RecipientKeys.Address(recipient.Contains('@') ? NotificationChannel.Email : NotificationChannel.Sms, recipient);
        if (!string.IsNullOrWhiteSpace(recipient) && (recipient.Length > 254 || address is null))
            errors["recipient"] = ["must be a whole email address or phone number"];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "Bad notification search.");

        var q = db.Set<Notification>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(customerCode))
            q = q.Where(n => n.CustomerCode == customerCode);
        if (!string.IsNullOrWhiteSpace(recipientKey))
            q = q.Where(n => n.RecipientKey == recipientKey);
        if (address is not null)
        {
            // Under every index key held, so rows indexed before an index-key switch are still found.
            var indexes = db.RequiredColumnKeys.BlindIndexes(address);
            q = q.Where(n => indexes.Contains(n.RecipientIndex));
        }
        if (!string.IsNullOrWhiteSpace(subject))
            q = q.Where(n => n.Subject == subject);
        if (state is not null)
            q = q.Where(n => n.State == state);
        if (channel is not null)
            q = q.Where(n => n.Channel == channel);
        if (campaignId is { } campaign)
            q = q.Where(n => n.CampaignId == campaign);
        var rows = await q.OrderByDescending(n => n.RecordedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
        return Results.Ok(rows.Select(View));
    }

    private static NotificationView View(Notification n) => new(n.Id, n.Channel, n.Recipient, n.RecipientKey, n.CustomerCode, n.Template, n.Subject,
        n.Language, n.State, n.Error, n.Title, n.Body, n.Urgent, n.NotBefore, n.CreatedAt, n.SentAt, n.DeliveredAt, n.ProviderStatus, n.CampaignId);
}
