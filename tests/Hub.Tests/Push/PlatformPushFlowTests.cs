using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Adapters.Push;
using Hub.Infrastructure;
using Hub.TestSupport;

namespace Hub.Tests.Push;

/// <summary>
/// Business events reach a user's phones: on the live stream, and through FCM or APNs (local shape-checking servers)
/// to each device's registered token, honouring the user's preferences and never twice.
/// </summary>
[Collection("push-hub")]
public sealed class PlatformPushFlowTests(PushHub hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Assigned_tickets_are_streamed_and_pushed_to_offline_devices_through_their_platform()
    {
        var fcmToken = "fcm-" + Guid.NewGuid().ToString("N");
        var apnsToken = ApnsShapeServer.NewDeviceToken();
        using var android = await hub.PhoneAsync("eng", "android", fcmToken);
        using var iphone = await hub.PhoneAsync("eng", "ios", apnsToken);
        // This phone is on line with its stream open: the stream reaches it, a platform push would ring a second time.
        var onlineToken = "fcm-" + Guid.NewGuid().ToString("N");
        using var online = await hub.PhoneAsync("eng", "android", onlineToken);
        await using var stream = await online.OpenStreamAsync();

        var tickets = new[] { android, iphone, online }.Select(p =>
            new ServiceTicketAssigned(Guid.NewGuid(), "ST-" + Random.Shared.Next(100000), "C-1001", null, p.UserId, "Wang Wei", DateTimeOffset.UtcNow)).ToArray();
        foreach (var ticket in tickets)
            await hub.PublishAsync(ticket);

        var streamed = await stream.WaitFor(e => e.Event == "ticket.assigned", Wait);
        Assert.Equal(tickets[2].TicketNumber, streamed.Json.GetProperty("ticketNumber").GetString());
        var fcm = (await Eventually.Get(() => Task.FromResult(hub.Fcm.For(fcmToken)), a => a.Length == 1, Wait, "FCM push")).Single();
        var message = fcm.Body.GetProperty("message");
        Assert.Equal($"Service ticket {tickets[0].TicketNumber} assigned to you", message.GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal(tickets[0].TicketId.ToString(), message.GetProperty("data").GetProperty("ticketId").GetString());
        var apns = (await Eventually.Get(() => Task.FromResult(hub.Apns.For(apnsToken)), a => a.Length == 1, Wait, "APNs push")).Single();
        Assert.Equal($"Service ticket {tickets[1].TicketNumber} assigned to you", apns.Body.GetProperty("aps").GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal("ticket.assigned", apns.Body.GetProperty("kind").GetString());

        var skipped = await Eventually.Get(() => hub.DeliveriesAsync(online.UserId), d => d.Count == 1 && d[0].State != PushDeliveryState.Queued, Wait,
            "the online phone's delivery settled");
        Assert.Equal(PushDeliveryState.Skipped, skipped.Single().State);
        Assert.Empty(hub.Fcm.For(onlineToken));
        Assert.Empty(hub.Fcm.Refusals);
        Assert.Empty(hub.Apns.Refusals);
    }

    [Fact]
    public async Task Unregistered_tokens_are_removed_from_the_devices_on_both_platforms()
    {
        var fcmToken = "fcm-" + Guid.NewGuid().ToString("N");
        var apnsToken = ApnsShapeServer.NewDeviceToken();
        hub.Fcm.FailNext(fcmToken, 1, 404, FcmShapeServer.UnregisteredBody);
        hub.Apns.FailNext(apnsToken, 1, 410, ApnsShapeServer.UnregisteredBody);
        using var android = await hub.PhoneAsync("mgr", "android", fcmToken, Hub.Adapters.Identity.MobileRoles.Manager);
        using var iphone = await hub.PhoneAsync("mgr", "ios", apnsToken, Hub.Adapters.Identity.MobileRoles.Manager);

        foreach (var manager in new[] { android, iphone })
        {
            await hub.PublishAsync(new ApprovalRequested(Guid.NewGuid(), "discount", "SO-1001", manager.UserId, "sales-li", DateTimeOffset.UtcNow));
            var device = await Eventually.Get(() => manager.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/devices"),
                d => d!.Length == 1 && !d[0].GetProperty("hasPushToken").GetBoolean(), Wait, "push token removed");
            Assert.Equal(manager.DeviceId, device![0].GetProperty("deviceId").GetString());
            Assert.Equal(PushDeliveryState.TokenRemoved, (await hub.DeliveriesAsync(manager.UserId)).Single().State);
        }
    }

    [Fact]
    public async Task Provider_outage_is_retried_through_the_bus_and_the_push_arrives_once()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        // Two attempts per consume (the client's retry) and two consumes (the bus's immediate retry): all four fail, so
        // only the scheduled redelivery gets it through.
        hub.Fcm.FailNext(token, 4, 503, FcmShapeServer.UnavailableBody);
        using var phone = await hub.PhoneAsync("eng", "android", token);
        var engineer = phone.UserId;

        await hub.PublishAsync(new FieldWorkOrderAssigned(Guid.NewGuid(), "FW-" + Random.Shared.Next(100000), null, "C-1001", engineer,
            "88 Century Ave", DateTimeOffset.UtcNow.AddHours(3), DateTimeOffset.UtcNow));

        await Eventually.Get(() => Task.FromResult(hub.Fcm.For(token)), a => a.Length == 1, Wait, "pushed after the outage");
        var delivery = await Eventually.Get(() => hub.DeliveriesAsync(engineer), d => d.Single().State == PushDeliveryState.Sent, Wait, "recorded sent");
        Assert.Equal(5, hub.Fcm.Attempts[token]);
        Assert.Single(hub.Fcm.For(token));
        Assert.NotNull(delivery.Single().SentAt);
    }

    [Fact]
    public async Task Throttled_push_waits_out_a_long_retry_after_on_the_scheduler_then_arrives_once()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        // Longer than this hub's client waits in place (MaxRetryAfter 1 s): the delivery is scheduled again for then.
        hub.Fcm.FailNext(token, 1, 429, """{"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED"}}""", TimeSpan.FromSeconds(3));
        using var phone = await hub.PhoneAsync("eng", "android", token);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await hub.PublishAsync(new ServiceTicketAssigned(Guid.NewGuid(), "ST-5005", "C-1001", null, phone.UserId, "Sun Hao", DateTimeOffset.UtcNow));
        await Eventually.Get(() => Task.FromResult(hub.Fcm.For(token)), a => a.Length == 1, Wait, "pushed after the pause");

        // The bus's immediate retry would have come back within a fraction of a second.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.9), $"pushed after {watch.Elapsed}, before the Retry-After of 3 s");
        Assert.Equal(2, hub.Fcm.Attempts[token]);
        Assert.Equal(PushDeliveryState.Sent, (await Eventually.Get(() => hub.DeliveriesAsync(phone.UserId),
            d => d.Single().State == PushDeliveryState.Sent, Wait, "recorded sent")).Single().State);
    }

    [Fact]
    public async Task Push_the_provider_refuses_ends_in_the_error_queue_and_is_recorded_failed_with_the_reason()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        // A real FCM refusal no retry changes: the token belongs to another Firebase project.
        hub.Fcm.FailNext(token, 100, 403,
            """{"error":{"code":403,"message":"SenderId mismatch","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"SENDER_ID_MISMATCH"}]}}""");
        using var phone = await hub.PhoneAsync("eng", "android", token);

        await hub.PublishAsync(new ServiceTicketAssigned(Guid.NewGuid(), "ST-4004", "C-1001", null, phone.UserId, "Zhao Lei", DateTimeOffset.UtcNow));

        var failed = (await Eventually.Get(() => hub.DeliveriesAsync(phone.UserId), d => d.Count == 1 && d[0].State == PushDeliveryState.Failed, Wait,
            "recorded failed")).Single();
        Assert.Contains("SENDER_ID_MISMATCH", failed.Detail);
        // Immediate retry and two scheduled redeliveries, each one call: then the error queue.
        Assert.Equal(6, hub.Fcm.Attempts[token]);
        Assert.Empty(hub.Fcm.For(token));
        var devices = await phone.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/devices");
        Assert.True(devices![0].GetProperty("hasPushToken").GetBoolean(), "a refusal that is not about the token keeps the token");
    }

    [Fact]
    public async Task Quiet_hours_send_non_urgent_pushes_silently_deadline_alarms_still_ring_and_muted_kinds_are_not_pushed()
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        using var phone = await hub.PhoneAsync("mgr", "android", token, Hub.Adapters.Identity.MobileRoles.Manager);
        var owner = phone.UserId;
        await PushHub.QuietNowAsync(phone, "approval.waiting");

        var orderId = Guid.NewGuid();
        // In this order on one queue, handled one at a time: the muted approval is handled before the two that are pushed.
        await hub.PublishAsync(new ApprovalRequested(Guid.NewGuid(), "order", "SO-2002", owner, "sales-li", DateTimeOffset.UtcNow));
        await hub.PublishAsync(new FieldWorkOrderAssigned(Guid.NewGuid(), "FW-2002", null, "C-1001", owner, null, null, DateTimeOffset.UtcNow));
        await hub.PublishAsync(new OrderDeadlineExceeded(orderId, "SO-2002", owner, "Fulfilling", DateTimeOffset.UtcNow.AddMinutes(-5)));

        var pushed = await Eventually.Get(() => Task.FromResult(hub.Fcm.For(token)), a => a.Length == 2, Wait, "two pushes");
        var byKind = pushed.ToDictionary(p => p.Body.GetProperty("message").GetProperty("data").GetProperty("kind").GetString()!, p => p.Body.GetProperty("message"));
        Assert.Equal(["fieldwork.assigned", "order.deadline"], byKind.Keys.Order());
        Assert.False(byKind["fieldwork.assigned"].TryGetProperty("notification", out _), "a non-urgent push in quiet hours is silent");
        Assert.Equal("normal", byKind["fieldwork.assigned"].GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("Order SO-2002 missed its deadline", byKind["order.deadline"].GetProperty("notification").GetProperty("title").GetString());
        Assert.Equal("high", byKind["order.deadline"].GetProperty("android").GetProperty("priority").GetString());
        Assert.DoesNotContain(await hub.EventsAsync(owner), e => e.Kind == "approval.waiting");
        Assert.DoesNotContain(await hub.DeliveriesAsync(owner), d => d.Kind == "approval.waiting");
    }

    [Fact]
    public async Task Republished_event_and_redelivered_command_push_once_per_device()
    {
        var token = ApnsShapeServer.NewDeviceToken();
        using var phone = await hub.PhoneAsync("eng", "ios", token);
        var engineer = phone.UserId;
        var assigned = new FieldWorkOrderAssigned(Guid.NewGuid(), "FW-3003", "ST-3003", "C-1001", engineer, null, null, DateTimeOffset.UtcNow);

        await hub.PublishAsync(assigned);
        await hub.PublishAsync(assigned);
        var delivery = (await Eventually.Get(() => hub.DeliveriesAsync(engineer), d => d.Count == 1 && d[0].State == PushDeliveryState.Sent, Wait, "sent")).Single();
        // The delivery command again, as a broker redelivery after a lost acknowledgement would bring it.
        await hub.SendAsync(HubQueues.MobilePushDelivery, new DeliverPush(delivery.Id));
        // Handled after both: its push proves the duplicates were handled.
        await hub.PublishAsync(new ServiceTicketAssigned(Guid.NewGuid(), "ST-3004", "C-1001", null, engineer, "Li Na", DateTimeOffset.UtcNow));

        var pushed = await Eventually.Get(() => Task.FromResult(hub.Apns.For(token)), a => a.Any(p => p.Body.GetProperty("kind").GetString() == "ticket.assigned"),
            Wait, "the later push");
        Assert.Single(pushed, p => p.Body.GetProperty("kind").GetString() == "fieldwork.assigned");
        Assert.Equal(2, (await hub.DeliveriesAsync(engineer)).Count);
    }
}
