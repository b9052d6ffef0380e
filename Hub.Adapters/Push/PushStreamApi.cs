using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

/// <summary>
/// The live stream of a signed-in device: Server-Sent Events with <c>Last-Event-ID</c> resume, or a
/// WebSocket with <c>?lastEventId=</c> resume. The stream is the caller's own: the user comes from
/// the token, never from the request.
/// </summary>
public static class PushStreamApi
{
    private static readonly TimeSpan StorePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps <c>GET /api/v1/push/stream</c> (SSE) and <c>GET /api/v1/push/ws</c> (WebSocket).</summary>
    public static void MapPushStreamApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("push", "Push", g =>
    {
        g.MapGet("/stream", Stream);
        g.MapGet("/ws", WebSocketStream);
    });

    private static async Task Stream(HttpContext http, IServiceScopeFactory scopes, PushFeed feed)
    {
        var caller = MobileCaller.From(http.User);
        var lastId = ResumeFrom(http);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = http.RequestAborted;
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        try
        {
            await Follow(caller, lastId, scopes, feed,
                async e => await http.Response.WriteAsync($"id: {e.Sequence}\nevent: {e.Kind}\ndata: {e.Payload}\n\n", ct),
                async wrote =>
                {
                    if (!wrote)
                        await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The device went away; it resumes with Last-Event-ID.
        }
    }

    /// <summary>The same stream over a WebSocket, one JSON text message per event: <c>{"id","event","data"}</c>.</summary>
    private static async Task WebSocketStream(HttpContext http, IServiceScopeFactory scopes, PushFeed feed)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required here.",
                detail: "Use GET /api/v1/push/stream for Server-Sent Events.").ExecuteAsync(http);
            return;
        }
        var caller = MobileCaller.From(http.User);
        var lastId = ResumeFrom(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        // The client sends nothing but a close: reading is how a close or a dead peer is noticed.
        _ = Task.Run(async () =>
        {
            var buffer = new byte[256];
            try
            {
                while (socket.State == WebSocketState.Open && (await socket.ReceiveAsync(buffer, closed.Token)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (Exception) when (closed.IsCancellationRequested || socket.State != WebSocketState.Open) { }
            catch (WebSocketException) { }
            await closed.CancelAsync();
        });
        var ct = closed.Token;
        try
        {
            await Follow(caller, lastId, scopes, feed,
                e => socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { id = e.Sequence, @event = e.Kind, data = JsonDocument.Parse(e.Payload).RootElement }),
                    WebSocketMessageType.Text, true, ct),
                wrote => wrote ? Task.CompletedTask : socket.SendAsync(Encoding.UTF8.GetBytes("{\"event\":\"keep-alive\"}"), WebSocketMessageType.Text, true, ct),
                ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
        }
        // Complete the close handshake the client started (CloseReceived), or start one when the server ends the stream.
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }

    private static long ResumeFrom(HttpContext http) =>
        long.TryParse(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"], out var l) ? l : 0L;

    /// <summary>
    /// Sends every event of <paramref name="caller"/>'s user after <paramref name="lastId"/>, then waits for more:
    /// woken at once by an event recorded on this instance, and looking in the store every second for
    /// events recorded by another. <paramref name="flush"/> is told whether anything was written.
    /// </summary>
    private static async Task Follow(MobileCaller caller, long lastId, IServiceScopeFactory scopes, PushFeed feed, Func<PushEvent, Task> write,
        Func<bool, Task> flush, CancellationToken ct)
    {
        var userId = caller.UserId;
        using var presence = feed.Connect(userId, caller.DeviceId);
        var lastWrite = DateTime.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            var wait = feed.WaitAsync(userId, StorePoll, ct);
            var events = await Pending(scopes, userId, lastId, ct);
            // An event signalled here may still be committing: look again shortly before sleeping.
            for (var delay = 10; events.Count == 0 && wait.IsCompleted && delay <= 160; delay *= 2)
            {
                await Task.Delay(delay, ct);
                events = await Pending(scopes, userId, lastId, ct);
            }
            foreach (var e in events)
            {
                await write(e);
                lastId = e.Sequence;
            }
            if (events.Count > 0 || DateTime.UtcNow - lastWrite > KeepAlive)
            {
                await flush(events.Count > 0);
                lastWrite = DateTime.UtcNow;
            }
            if (events.Count == 0)
                await wait;
        }
    }

    private static async Task<List<PushEvent>> Pending(IServiceScopeFactory scopes, string userId, long afterId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        try
        {
            return await db.Set<PushEvent>().AsNoTracking()
                .Where(e => e.UserId == userId && e.Sequence > afterId)
                .OrderBy(e => e.Sequence)
                .Take(100)
                .ToListAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A store hiccup (pool exhausted, failover) must not drop every phone's stream: the events stay in the
            // store and the next poll, a second later, delivers them in order.
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PushStreamApi))
                .LogWarning(ex, "Could not read push events for {UserId}; the stream stays open and tries again", userId);
            return [];
        }
    }
}
