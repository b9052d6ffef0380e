using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hub.TestSupport;

namespace Hub.Tests.Mobile;

/// <summary>The live stream belongs to the signed-in device and loses nothing across a drop.</summary>
[Collection("embedded")]
public sealed class PushStreamTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task Stream_dropped_mid_flow_resumes_with_last_event_id_without_losing_an_event()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var first = Guid.NewGuid();
        string lastId;
        await using (var stream = await phone.OpenStreamAsync())
        {
            await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(first, phone.UserId));
            var done = await stream.WaitFor(e => e.Json.GetProperty("orderId").GetGuid() == first && e.Json.GetProperty("status").GetString() == "Completed",
                TimeSpan.FromSeconds(30));
            lastId = done.Id!;
        }

        // Off the network: two more orders run to completion while nobody listens.
        var missed = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var id in missed)
            await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId));
        foreach (var id in missed)
            await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"),
                o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(60), "completed while offline");

        // The orders' own projection says Closed; the push consumer works through the same events on its own queue and may
        // trail it on a loaded machine, so the resumed stream gets the same bound as the orders had.
        await using var resumed = await phone.OpenStreamAsync(lastId);
        foreach (var id in missed)
            await resumed.WaitFor(e => e.Json.GetProperty("orderId").GetGuid() == id && e.Json.GetProperty("status").GetString() == "Completed",
                TimeSpan.FromSeconds(60));
        var all = resumed.Drain();
        Assert.DoesNotContain(all, e => long.Parse(e.Id!) <= long.Parse(lastId));
    }

    [Fact]
    public async Task Stream_carries_only_the_signed_in_users_events()
    {
        using var mine = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        using var theirs = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        await using var stream = await mine.OpenStreamAsync();
        var other = Guid.NewGuid();
        var own = Guid.NewGuid();
        await theirs.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(other, theirs.UserId));
        await Eventually.Get(() => theirs.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{other}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "other completed");
        await mine.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(own, mine.UserId));
        await stream.WaitFor(e => e.Json.GetProperty("orderId").GetGuid() == own && e.Json.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(30));
        Assert.All(stream.Drain(), e => Assert.Equal(own, e.Json.GetProperty("orderId").GetGuid()));

        // The old query parameter no longer picks a user: without a token the stream is refused.
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{hub.BaseUrl}/api/push/stream?userId={theirs.UserId}")).StatusCode);
    }

    [Fact]
    public async Task Muted_event_kind_is_not_pushed()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/push/preferences") { Content = JsonContent.Create(new { mutedKinds = new[] { "order.status" } }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.OK, (await phone.Http.SendAsync(request)).StatusCode);
        await using var stream = await phone.OpenStreamAsync();
        var id = Guid.NewGuid();
        await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId));
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "completed");
        // The projection of the same events has caught up, so the push consumer has seen them too.
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?status=Closed"),
            p => p.GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(20), "projection caught up");
        await Assert.ThrowsAsync<TimeoutException>(() => stream.WaitFor(_ => true, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task WebSocket_stream_delivers_the_same_events_and_resumes_from_last_event_id()
    {
        using var phone = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6]);
        var id = Guid.NewGuid();
        await phone.PostAsync("/api/v1/orders", EmbeddedOrderFlowTests.NewOrder(id, phone.UserId));
        await Eventually.Get(() => phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}"),
            o => o.GetProperty("status").GetString() == "Closed", TimeSpan.FromSeconds(30), "completed");

        var wsUrl = new Uri(hub.BaseUrl.Replace("http://", "ws://") + "/api/v1/push/ws?lastEventId=0");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + phone.Token);
        await socket.ConnectAsync(wsUrl, CancellationToken.None);
        var statuses = new List<string>();
        long lastId = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[16 * 1024];
        while (!statuses.Contains("Closed"))
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement;
            if (message.GetProperty("event").GetString() != "order.status")
                continue;
            lastId = message.GetProperty("id").GetInt64();
            statuses.Add(message.GetProperty("data").GetProperty("status").GetString()!);
        }
        Assert.Contains("Fulfilling", statuses);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        // Resuming after the last id sends nothing old.
        using var again = new ClientWebSocket();
        again.Options.SetRequestHeader("Authorization", "Bearer " + phone.Token);
        await again.ConnectAsync(new Uri(hub.BaseUrl.Replace("http://", "ws://") + $"/api/v1/push/ws?lastEventId={lastId}"), CancellationToken.None);
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => again.ReceiveAsync(buffer, quiet.Token));
    }
}
