using Hub.Functions.Hosting;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Notifications;

/// <summary>
/// The notification pipeline's second half, shared by the channel functions: claim a queued notification, check
/// again that it may go now (opt-out since it was queued, quiet hours for non-urgent SMS), hand it to the provider
/// and record the outcome. It runs inside the channel function's transaction: the claim (queued → sent) is a
/// conditional update, so of two deliveries of the same notification one sends and the other finds it sent; a
/// provider failure rolls the claim back for the retries.
/// </summary>
public sealed class NotificationDelivery(
    HubDbContext db,
    TimeProvider clock,
    IOptions<NotificationsOptions> options,
    IOptions<FunctionsOptions> functions,
    ChannelCircuits circuits,
    StaffRoleCatalog catalog,
    ILogger<NotificationDelivery> logger)
{
    /// <summary>How the reason of a notification whose delivery went to the error queue begins.</summary>
    public const string GaveUpReason = "Gave up after the last retry: ";

    /// <summary>
    /// Delivers notification <paramref name="id"/> on <paramref name="channel"/> with <paramref name="send"/> (which
    /// gets the notification and its recipient, if registered). Returns without sending when there is nothing to do.
    /// </summary>
    public async Task DeliverAsync(Guid id, string channel, Func<Notification, NotificationRecipient?, Task> send, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var notifications = db.Set<Notification>();
        var notification = await notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id && n.Channel == channel, ct);
        if (notification is null)
        {
            logger.LogWarning("No {Channel} notification {NotificationId} to deliver", channel, id);
            return;
        }
        // A delivery that gave up comes back only when operations retry it from the error queue: it gets another go.
        var retried = notification.State == NotificationState.Failed && notification.Error?.StartsWith(GaveUpReason, StringComparison.Ordinal) == true;
        if (notification.State != NotificationState.Queued && !retried)
            return;
        if (retried)
        {
            logger.LogInformation("{Channel} notification {NotificationId} gave up earlier and is retried", channel, id);
            // Only if it is still the failure just read. The reason is sealed under a fresh nonce at every write, so the
            // stored envelope is read and compared as it is (a raw statement: a mapped comparison would seal the value again).
            var storedError = await db.Database.SqlQuery<string>($"SELECT \"Error\" AS \"Value\" FROM notification WHERE \"Id\" = {id}")
                .SingleOrDefaultAsync(ct);
            if (storedError is not null && db.ColumnKeys!.Decrypt(storedError) == notification.Error)
                await db.Database.ExecuteSqlAsync($"UPDATE notification SET \"State\" = {NotificationState.Queued}, \"Error\" = NULL WHERE \"Id\" = {id} AND \"State\" = {NotificationState.Failed} AND \"Error\" = {storedError}", ct);
        }
        if (notification.NotBefore > now.UtcDateTime)
        {
            await Hold(id, notification.NotBefore.Value, ct);
            return;
        }

        var recipient = notification.RecipientKey is null
            ? null
            : await db.Set<NotificationRecipient>().AsNoTracking().SingleOrDefaultAsync(r => r.Key == notification.RecipientKey, ct);
        var optedOut = recipient?.OptedOut(channel) == true
                       || (await RecipientRegistry.OptedOutAddresses(db, [(channel, notification.Recipient)], ct)).Count > 0;
        if (optedOut)
        {
            await Fail(id, $"The recipient opted out of {channel} after it was queued.", ct);
            return;
        }
        // An approval request to a deputy whose delegation expired or was revoked since: they may no longer decide, so it is not sent
        // (the push checks the same at its side). Checked at every send, so a message held for quiet hours is checked when released.
        if (notification is { RecipientMustHold: { } permission, OverRecordsOf: { } owner }
            && await WhyNotAsync(notification.RecipientKey, permission, owner, now, ct) is { } reason)
        {
            logger.LogInformation("{Channel} notification {NotificationId} skipped: {Reason}", channel, id, reason);
            await db.Set<Notification>().Where(n => n.Id == id && n.State == NotificationState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Skipped).SetProperty(n => n.Error, reason), ct);
            return;
        }
        if (channel == NotificationChannel.Sms && !notification.Urgent)
        {
            var (start, end) = QuietHours.For(recipient, options.Value.QuietHours);
            if (QuietHours.HeldUntil(now, start, end, functions.Value.CompanyZone()) is { } until)
            {
                logger.LogInformation("SMS {NotificationId} held for quiet hours until {Until:o}", id, until);
                await Hold(id, until, ct);
                return;
            }
        }

        var claimed = await notifications.Where(n => n.Id == id && n.State == NotificationState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Sent).SetProperty(n => n.SentAt, now), ct);
        if (claimed == 0)
            return;
        try
        {
            await circuits.SendAsync(channel, async _ => await send(notification, recipient), ct);
        }
        catch (NotificationRejectedException ex)
        {
            // The reason is recorded (sealed) on the notification; a provider's words may name the recipient, so not in the log.
            logger.LogWarning("{Channel} notification {NotificationId} refused for good; the reason is recorded on the notification", channel, id);
            await notifications.Where(n => n.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Failed).SetProperty(n => n.Error, ex.Message)
                    .SetProperty(n => n.SentAt, (DateTimeOffset?)null), ct);
        }
    }

    /// <summary>
    /// Records that the channel gave up on notification <paramref name="id"/> after its last retry (the message went to
    /// the channel's error queue): failed, with the reason. A notification that got out meanwhile stays as it is.
    /// </summary>
    public async Task RecordGaveUpAsync(Guid id, IReadOnlyList<ExceptionInfo>? exceptions, CancellationToken ct)
    {
        var causes = new List<string>();
        for (var e = exceptions?.LastOrDefault(); e is not null && causes.Count < 5; e = e.InnerException)
            causes.Add($"{e.ExceptionType}: {e.Message}");
        await Fail(id, GaveUpReason + (causes.Count > 0 ? string.Join(" <- ", causes) : "unknown error"), ct);
    }

    /// <summary>Why the staff recipient <paramref name="recipientKey"/> may not use <paramref name="permission"/> over records of <paramref name="owner"/> now, or null.</summary>
    private Task<string?> WhyNotAsync(string? recipientKey, string permission, string owner, DateTimeOffset now, CancellationToken ct) =>
        recipientKey is not null && recipientKey.StartsWith(RecipientKeys.UserPrefix, StringComparison.Ordinal)
            ? StaffMembers.WhyNotAsync(db, catalog, recipientKey[RecipientKeys.UserPrefix.Length..], permission, owner, now, ct)
            : Task.FromResult<string?>($"{recipientKey} is not a member of staff, who alone may hold {permission}");

    private Task Fail(Guid id, string reason, CancellationToken ct) =>
        db.Set<Notification>().Where(n => n.Id == id && n.State == NotificationState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Failed).SetProperty(n => n.Error, reason), ct);

    // Back to the release timer, which hands it over again once due.
    private Task Hold(Guid id, DateTime until, CancellationToken ct) =>
        db.Set<Notification>().Where(n => n.Id == id && n.State == NotificationState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.NotBefore, (DateTime?)until).SetProperty(n => n.DispatchedAt, (DateTime?)null), ct);
}
