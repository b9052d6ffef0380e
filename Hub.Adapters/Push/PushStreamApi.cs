using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Push;

/// <summary>The live stream of a signed-in device, as Server-Sent Events with <c>Last-Event-ID</c> resume.</summary>
public static class PushStreamApi
{
    private static readonly TimeSpan StorePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps <c>GET /api/push/stream</c>.</summary>
    public static void MapPushStreamApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/push/stream", Stream).WithTags("Push");

    private static async Task Stream(HttpContext http, string userId, IServiceScopeFactory scopes, PushFeed feed)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 64)
        {
            await Results.Problem(statusCode: 400, title: "userId is required, at most 64 characters.").ExecuteAsync(http);
            return;
        }
        var lastId = long.TryParse(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"], out var l) ? l : 0L;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": connected\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);

        var ct = http.RequestAborted;
        var lastWrite = DateTime.UtcNow;
        try
        {
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
                    await http.Response.WriteAsync($"id: {e.Id}\nevent: {e.Kind}\ndata: {e.Payload}\n\n", ct);
                    lastId = e.Id;
                }
                if (events.Count > 0 || DateTime.UtcNow - lastWrite > KeepAlive)
                {
                    if (events.Count == 0)
                        await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    lastWrite = DateTime.UtcNow;
                }
                if (events.Count == 0)
                    await wait;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The device went away; it resumes with Last-Event-ID.
        }
    }

    private static async Task<List<PushEvent>> Pending(IServiceScopeFactory scopes, string userId, long afterId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.Set<PushEvent>().AsNoTracking()
            .Where(e => e.UserId == userId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(100)
            .ToListAsync(ct);
    }
}
