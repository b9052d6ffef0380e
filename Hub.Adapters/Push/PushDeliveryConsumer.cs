using System.Text.Json;
using Crm.Contracts.Notifications;
using Hub.Adapters.Identity;
using Hub.Adapters.Push.Platform;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

/// <summary>
/// Sends one recorded <see cref="PushDelivery"/> through its device's platform service. It runs inside the message's
/// transaction: the claim (queued → sent) is a conditional update, so of two deliveries of the same push one sends and
/// the other finds it sent; a failure the service may get over (429, 5xx) rolls the claim back and the bus retries
/// (immediate retries, then scheduled redelivery, then the error queue). Quiet hours are checked now, not when queued.
/// </summary>
public sealed class PushDeliveryConsumer(
    HubDbContext db,
    PushFeed feed,
    IEnumerable<IPlatformPushSender> senders,
    TimeProvider clock,
    ILogger<PushDeliveryConsumer> logger) : IConsumer<DeliverPush>
{
    /// <summary>How long a platform service keeps trying a switched-off phone.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromDays(1);

    /// <summary>How often a push waits out a <c>Retry-After</c> before the bus's own retries and error queue take over.</summary>
    public const int MaxDeferrals = 10;

    public async Task Consume(ConsumeContext<DeliverPush> context)
    {
        var ct = context.CancellationToken;
        var id = context.Message.DeliveryId;
        var delivery = await db.Set<PushDelivery>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null)
        {
            logger.LogWarning("No push delivery {DeliveryId} to send", id);
            return;
        }
        // A delivery that gave up comes back only when operations retry it from the error queue: it gets another go.
        if (delivery.State == PushDeliveryState.Failed)
            await db.Set<PushDelivery>().Where(d => d.Id == id && d.State == PushDeliveryState.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, PushDeliveryState.Queued), ct);
        else if (delivery.State != PushDeliveryState.Queued)
            return;

        var device = await db.Set<MobileDevice>().AsNoTracking().SingleOrDefaultAsync(d => d.DeviceId == delivery.DeviceId, ct);
        var sender = senders.FirstOrDefault(s => s.Platform == device?.Platform);
        var skipped = device switch
        {
            null => "The device is no longer bound.",
            { Status: not DeviceStatus.Active } => $"The device is {device.Status}.",
            { PushToken: null } => "The device has no push token any more.",
            _ when sender is null => $"Platform push for {device.Platform} is not configured.",
            _ when feed.IsDeviceLive(device.DeviceId) => "The device has its live stream open here.",
            _ => null,
        };
        var now = clock.GetUtcNow().UtcDateTime;
        if (skipped is not null)
        {
            await Finish(id, PushDeliveryState.Skipped, skipped, now, ct);
            return;
        }

        var preference = await PushPreferencesApi.Load(db, delivery.UserId, ct);
        var silent = !delivery.Urgent && preference.IsQuiet(now);
        var claimed = await db.Set<PushDelivery>().Where(d => d.Id == id && d.State == PushDeliveryState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, PushDeliveryState.Sent).SetProperty(d => d.Silent, silent)
                .SetProperty(d => d.SentAt, now), ct);
        if (claimed == 0)
            return;

        var token = device!.PushToken!;
        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(delivery.Data) ?? [];
        PlatformPushOutcome outcome;
        try
        {
            outcome = await sender!.SendAsync(new PlatformPush(token, delivery.Title, delivery.Body, data, silent, delivery.PushKey, delivery.Id, TimeToLive), ct);
        }
        catch (PlatformPushUnavailableException e) when (e.RetryAfter > TimeSpan.Zero && context.Message.Deferrals < MaxDeferrals)
        {
            // The service said when to come back (a longer pause than the client waits in place): ask again then, on the
            // durable scheduler, instead of spending the bus's quick retries on answers known to be refusals.
            var wait = e.RetryAfter.Value;
            logger.LogInformation("{Platform} asked to retry push {DeliveryId} after {Wait}: {Reason}", device.Platform, id, wait, e.Message);
            await db.Set<PushDelivery>().Where(d => d.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, PushDeliveryState.Queued).SetProperty(d => d.SentAt, (DateTime?)null)
                    .SetProperty(d => d.Detail, e.Message), ct);
            await context.ScheduleSend(HubQueues.Address(HubQueues.MobilePushDelivery), wait,
                context.Message with { Deferrals = context.Message.Deferrals + 1 }, ct);
            return;
        }
        if (outcome == PlatformPushOutcome.TokenGone)
        {
            logger.LogInformation("{Platform} says the push token of device {DeviceId} is gone; removing it", device.Platform, device.DeviceId);
            // Only the token that was refused: the app may have registered a fresh one meanwhile.
            await db.Set<MobileDevice>().Where(d => d.DeviceId == device.DeviceId && d.PushToken == token)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.PushToken, (string?)null).SetProperty(d => d.Version, d => d.Version + 1), ct);
            await Finish(id, PushDeliveryState.TokenRemoved, $"{device.Platform} refused the token as unregistered.", now, ct);
        }
    }

    private Task<int> Finish(Guid id, string state, string detail, DateTime now, CancellationToken ct) =>
        db.Set<PushDelivery>().Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.Detail, detail).SetProperty(d => d.SentAt, now), ct);
}

/// <summary>A push delivery went to <c>mobile-push-delivery_error</c> after its last retry: recorded as failed, with the reason.</summary>
public sealed class PushDeliveryFaultConsumer(HubDbContext db) : IConsumer<Fault<DeliverPush>>
{
    public Task Consume(ConsumeContext<Fault<DeliverPush>> context)
    {
        var reason = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        var id = context.Message.Message.DeliveryId;
        return db.Set<PushDelivery>().Where(d => d.Id == id && d.State == PushDeliveryState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, PushDeliveryState.Failed).SetProperty(d => d.Detail, reason), context.CancellationToken);
    }
}

/// <summary>Platform pushes have their own queue: their retries and error queue are apart from the live stream's.</summary>
public sealed class PushDeliveryConsumerDefinition : ConsumerDefinition<PushDeliveryConsumer>
{
    public PushDeliveryConsumerDefinition() => EndpointName = HubQueues.MobilePushDelivery;
}

/// <summary>Runs on the push delivery queue.</summary>
public sealed class PushDeliveryFaultConsumerDefinition : ConsumerDefinition<PushDeliveryFaultConsumer>
{
    public PushDeliveryFaultConsumerDefinition() => EndpointName = HubQueues.MobilePushDelivery;
}
