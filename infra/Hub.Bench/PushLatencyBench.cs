using System.Collections.Concurrent;
using System.Diagnostics;
using Crm.Contracts.Orders;
using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Bench;

/// <summary>Figures of the push bench.</summary>
public sealed record PushResult(int Streams, int Events, int Deliveries, double EventsPerSecond, double P50Ms, double P99Ms, double MaxMs);

/// <summary>
/// Push latency on many open streams: salespeople each signed in on a phone holding several SSE streams open (1,000 in
/// all), order state changes published on the bus at a steady pace, and the time from each change's publication to its
/// arrival on every stream of its owner.
/// </summary>
public static class PushLatencyBench
{
    public static async Task<PushResult> Run(int users = 100, int streamsPerUser = 10, int eventsPerUser = 3, int eventsPerSecond = 100)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-bench-push-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        await using var hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning",
            $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
        ]);
        var baseUrl = EmbeddedHub.AddressOf(hub.Hub);
        var directory = hub.Hub.Services.GetRequiredService<MobileUserDirectory>();

        var sessions = new ConcurrentBag<MobileSession>();
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var userId = $"push-bench-{i:D4}";
            var password = Guid.NewGuid().ToString("N");
            var phone = "138" + (10_000_000 + i);
            await directory.UpsertAsync(userId, new MobileUserSeed { Role = MobileRoles.Salesperson, Phone = phone, Password = password });
            sessions.Add(await MobileSession.SignInAsync(baseUrl, userId, password, phone));
        });
        var streams = new List<(string UserId, SseStream Stream)>();
        foreach (var session in sessions)
            for (var s = 0; s < streamsPerUser; s++)
                streams.Add((session.UserId, await session.OpenStreamAsync()));

        var published = new ConcurrentDictionary<Guid, long>();
        var latencies = new ConcurrentBag<double>();
        var listeners = streams.Select(s => Task.Run(async () =>
        {
            for (var received = 0; received < eventsPerUser; received++)
            {
                SseEvent e;
                try { e = await s.Stream.WaitFor(x => x.Data.Contains("\"orderNumber\":\"PB-", StringComparison.Ordinal), TimeSpan.FromMinutes(2)); }
                catch (TimeoutException) { return; }
                var arrived = Stopwatch.GetTimestamp();
                if (published.TryGetValue(e.Json.GetProperty("orderId").GetGuid(), out var start))
                    latencies.Add(Stopwatch.GetElapsedTime(start, arrived).TotalMilliseconds);
            }
        })).ToArray();

        var bus = hub.Hub.Services.GetRequiredService<IBus>();
        var owners = sessions.Select(s => s.UserId).ToArray();
        var pace = TimeSpan.FromSeconds(1.0 / eventsPerSecond);
        var sw = Stopwatch.StartNew();
        var events = 0;
        for (var round = 0; round < eventsPerUser; round++)
            foreach (var owner in owners)
            {
                var orderId = Guid.NewGuid();
                published[orderId] = Stopwatch.GetTimestamp();
                await bus.Publish(new OrderStatusChanged(orderId, $"PB-{events:D6}", owner, "Fulfilling", null, DateTimeOffset.UtcNow));
                events++;
                var due = pace * events - sw.Elapsed;
                if (due > TimeSpan.Zero)
                    await Task.Delay(due);
            }
        var publishing = sw.Elapsed;
        await Task.WhenAll(listeners);
        foreach (var (_, stream) in streams)
            await stream.DisposeAsync();
        foreach (var session in sessions)
            session.Dispose();
        try { Directory.Delete(root, true); } catch (IOException) { }

        var sorted = latencies.Order().ToArray();
        if (sorted.Length < streams.Count * eventsPerUser)
            throw new InvalidOperationException($"Only {sorted.Length} of {streams.Count * eventsPerUser} pushes arrived within 2 minutes.");
        return new PushResult(streams.Count, events, sorted.Length, events / publishing.TotalSeconds, sorted[sorted.Length / 2],
            sorted[(int)(sorted.Length * 0.99)], sorted[^1]);
    }
}
