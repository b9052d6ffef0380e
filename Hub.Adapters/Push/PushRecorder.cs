using System.Text.Json;
using Crm.Contracts.Notifications;
using Hub.Adapters.Identity;
using Hub.Adapters.Push.Platform;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

/// <summary>
/// Something to tell a user's phones: <paramref name="Kind"/> (one of <see cref="PushPreferencesApi.Kinds"/>),
/// <paramref name="Key"/> the fact's identity: kind, record and what tells this fact from a real repeat (the same event published
/// twice, under any message id, has the same key; the key is streamed once per user and pushed once per device; at most 200 characters),
/// <paramref name="Payload"/> what the live stream carries, and title, body and string data for the platform push.
/// <paramref name="Urgent"/> rings even in quiet hours. <paramref name="About"/>, when given, is the record the notice
/// speaks of: it reaches the user only when their permissions cover that record (the same data scope as every channel).
/// </summary>
public sealed record PushNotice(string UserId, string Kind, string Key, object Payload, string Title, string Body,
    IReadOnlyDictionary<string, string> Data, bool Urgent = false, PushSubject? About = null);

/// <summary>The record a push speaks of: the recipient needs <paramref name="Permission"/> reaching records of <paramref name="OwnerUserId"/>.</summary>
public sealed record PushSubject(string Permission, string OwnerUserId);

/// <summary>
/// Records a notice for a user, inside the consuming message's transaction: an event on the user's live stream
/// (SSE/WebSocket) unless one with the notice's key is there already, and a <see cref="PushDelivery"/> plus a <see cref="DeliverPush"/> for each of the user's active
/// devices with a push token whose platform is configured. A muted kind is neither streamed nor pushed; a notice carrying a
/// field of <see cref="SensitiveFields"/> is refused.
/// </summary>
public sealed class PushRecorder(HubDbContext db, PushFeed feed, IEnumerable<IPlatformPushSender> senders, TimeProvider clock,
    StaffGrantsCache grantsCache, ILogger<PushRecorder> logger)
{
    /// <summary>Whether <paramref name="userId"/>'s roles and delegations in force cover the record <paramref name="about"/> speaks of.</summary>
    private async Task<bool> RecipientMaySee(string userId, PushSubject about, CancellationToken ct)
    {
        var users = await db.Set<MobileUser>().AsNoTracking().Where(u => u.UserId == userId || u.UserId == about.OwnerUserId).ToListAsync(ct);
        if (users.FirstOrDefault(u => u.UserId == userId) is not { Suspended: false } recipient)
            return false;
        var owner = users.FirstOrDefault(u => u.UserId == about.OwnerUserId);
        // Through the cache the requests use: a push to many recipients, or a burst of them, reads each one's roles and delegations
        // once per bound; a revocation on this instance forgets the cache at once, so it still stops the next push.
        var grants = await grantsCache.GrantsOfAsync(db, recipient, ct);
        return grants.Any(g => g.Permission == about.Permission && g.Covers(about.OwnerUserId, owner?.Office, owner?.Region));
    }

    /// <summary>Records <paramref name="notice"/>; the deliveries are sent when <paramref name="context"/>'s transaction commits.</summary>
    public async Task RecordAsync(ConsumeContext context, PushNotice notice)
    {
        var ct = context.CancellationToken;
        if (!(await PushPreferencesApi.Load(db, notice.UserId, ct)).Wants(notice.Kind))
            return;
        if (notice.About is { } about && !await RecipientMaySee(notice.UserId, about, ct))
        {
            logger.LogWarning("Push {Kind} {Key} not sent to {UserId}: {Permission} does not reach records of {Owner}",
                notice.Kind, notice.Key, notice.UserId, about.Permission, about.OwnerUserId);
            return;
        }
        // Serialised once to a tree: checked, then written.
        var tree = JsonSerializer.SerializeToNode(notice.Payload, JsonSerializerOptions.Web);
        // Push content leaves the hub for phones, lock screens and the platforms' services: no sensitive field ever rides along
        // (a notice that would carry one is a programming error, and fails loudly to the error queue instead of being sent).
        if (SensitiveFields.NamedIn(tree) || notice.Data.Keys.Any(SensitiveFields.JsonNames.Contains))
            throw new InvalidOperationException($"Push {notice.Kind} would carry a sensitive field ({string.Join(", ", SensitiveFields.JsonNames)}); push content must not.");
        var payload = tree?.ToJsonString() ?? "null";
        var now = clock.GetUtcNow();
        // A republished event (outbox republish, ops retry, saga resend: a new message id, the same fact) is streamed once.
        var streamed = await PushSequence.TryAppend(db, new PushEvent
        {
            UserId = notice.UserId,
            Kind = notice.Kind,
            Payload = payload,
            CreatedAt = now,
            DedupeKey = notice.Key,
        }, ct);

        var platforms = senders.Select(s => s.Platform).ToArray();
        var devices = await db.Set<MobileDevice>().AsNoTracking()
            .Where(d => d.UserId == notice.UserId && d.Status == DeviceStatus.Active && d.PushToken != null && platforms.Contains(d.Platform))
            .Select(d => d.DeviceId)
            .ToListAsync(ct);
        var pushed = await db.Set<PushDelivery>().AsNoTracking()
            .Where(p => p.UserId == notice.UserId && p.PushKey == notice.Key)
            .Select(p => p.DeviceId)
            .ToListAsync(ct);
        var deliveries = devices.Except(pushed).Select(deviceId => new PushDelivery
        {
            Id = NewId.NextGuid(),
            DeviceId = deviceId,
            UserId = notice.UserId,
            PushKey = notice.Key,
            Kind = notice.Kind,
            Title = notice.Title,
            Body = notice.Body,
            Data = JsonSerializer.Serialize(notice.Data),
            Urgent = notice.Urgent,
            CreatedAt = now.UtcDateTime,
        }).ToList();
        db.AddRange(deliveries);
        await db.SaveChangesAsync(ct);
        if (streamed)
            feed.Signal(notice.UserId);
        if (deliveries.Count == 0)
            return;
        var channel = await context.GetSendEndpoint(HubQueues.Address(HubQueues.MobilePushDelivery));
        foreach (var delivery in deliveries)
            await channel.Send(new DeliverPush(delivery.Id), ct);
    }
}
