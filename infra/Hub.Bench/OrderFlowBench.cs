using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Embedded;
using Hub.TestSupport;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hub.Bench;

/// <summary>Figures of one run of the thin order flow.</summary>
public sealed record FlowResult(string Name, int Orders, double OrdersPerSecond, double MessagesPerSecond, double P50Ms, double P99Ms,
    double PeakMiB, int MessageBytes);

/// <summary>Drives orders through the whole hub in this process and times POST → push of completion.</summary>
public static class OrderFlowBench
{
    public static async Task<string[]> DistributedArgs(string postgres, Uri rabbit)
    {
        var database = "hubbench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var user = rabbit.UserInfo.Split(':');
        return
        [
            "--Hub:Transport=rabbitmq", "--Hub:Store=postgres",
            $"--Hub:PostgresConnectionString={new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString}",
            $"--Hub:RabbitMq:Host={rabbit.Host}", $"--Hub:RabbitMq:Username={user[0]}", $"--Hub:RabbitMq:Password={user.ElementAtOrDefault(1) ?? ""}",
        ];
    }

    public static async Task<FlowResult> Run(string name, int orders, string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        await using var hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", "--Logging:Format=simple",
            "--Logging:LogLevel:Default=Warning",
            $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
            .. extraArgs,
        ]);
        var baseUrl = EmbeddedHub.AddressOf(hub.Hub);

        // Warm-up: one order end to end, so start-up costs stay out of the figures.
        await Drive(hub, baseUrl, 5, "bench-warmup");
        var peak = new PeakMemory();
        var sw = Stopwatch.StartNew();
        var latencies = await Drive(hub, baseUrl, orders, "bench");
        sw.Stop();
        peak.Stop();

        var audited = await CountAudited(hub, sw.Elapsed);
        var size = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = Guid.NewGuid(), conversationId = Guid.NewGuid(), sourceAddress = "rabbitmq://localhost/crm-orders",
            destinationAddress = "rabbitmq://localhost/crm-order-saga", messageType = new[] { "urn:message:Crm.Contracts.Orders:OrderPlaced" },
            message = new { orderId = Guid.NewGuid(), orderNumber = "SO0123456789AB", customerCode = "C1001", ownerUserId = "sales-li",
                lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 199m, discount = 0m } },
                totalAmount = 199m, contactEmail = "li@example.com", placedAt = DateTimeOffset.UtcNow },
            sentTime = DateTime.UtcNow, headers = new { }, host = new { machineName = "bench" },
        }).Length;
        latencies.Sort();
        try { Directory.Delete(root, true); } catch (IOException) { }
        return new FlowResult(name, orders, orders / sw.Elapsed.TotalSeconds, audited / sw.Elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), peak.PeakMiB, size);
    }

    private static async Task<List<double>> Drive(EmbeddedHub hub, string baseUrl, int orders, string ownerPrefix)
    {
        // Ten sales people, each signed in on a phone holding a stream open.
        var owners = Enumerable.Range(0, 10).Select(i => $"{ownerPrefix}-{i}-{Guid.NewGuid():N}"[..30]).ToArray();
        var phones = await Task.WhenAll(owners.Select(o => SignIn(hub, baseUrl, o)));
        var streams = await Task.WhenAll(phones.Select(p => p.OpenStreamAsync()));
        var posted = new ConcurrentDictionary<Guid, long>();
        var latencies = new ConcurrentBag<double>();
        var done = new ConcurrentDictionary<Guid, bool>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = streams.Select(s => Task.Run(async () =>
        {
            while (done.Count < orders)
            {
                SseEvent e;
                try { e = await s.WaitFor(x => x.Json.GetProperty("status").GetString() is "Completed" or "Failed", TimeSpan.FromMinutes(5)); }
                catch (Exception ex) when (ex is TimeoutException or System.Threading.Channels.ChannelClosedException) { return; }
                var id = e.Json.GetProperty("orderId").GetGuid();
                if (posted.TryGetValue(id, out var start) && done.TryAdd(id, true))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (done.Count == orders)
                        allDone.TrySetResult();
                }
            }
        })).ToArray();

        await Parallel.ForEachAsync(Enumerable.Range(0, orders), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var id = Guid.NewGuid();
            posted[id] = Stopwatch.GetTimestamp();
            var phone = phones[i % phones.Length];
            var response = await phone.PostAsync("/api/orders", new
            {
                orderId = id, customerCode = $"C{i:D5}", ownerUserId = phone.UserId,
                lines = new[] { new { productCode = "BB-100M", specModel = "FTTH", quantity = 1, unitPrice = 199m, discount = 0m } },
            });
            response.EnsureSuccessStatusCode();
        });
        await Task.WhenAny(allDone.Task, Task.Delay(TimeSpan.FromMinutes(5)));
        // Closing the streams ends the listeners still waiting on theirs.
        foreach (var s in streams)
            await s.DisposeAsync();
        foreach (var p in phones)
            p.Dispose();
        await Task.WhenAll(listeners);
        if (done.Count < orders)
            throw new InvalidOperationException($"Only {done.Count} of {orders} orders finished within 5 minutes.");
        return latencies.ToList();
    }

    /// <summary>Creates a salesperson in the hub's store and signs in over HTTP, as a phone would.</summary>
    private static async Task<MobileSession> SignIn(EmbeddedHub hub, string baseUrl, string userId)
    {
        var password = Guid.NewGuid().ToString("N");
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        await hub.Hub.Services.GetRequiredService<MobileUserDirectory>().UpsertAsync(userId,
            new MobileUserSeed { Role = MobileRoles.Salesperson, Phone = phone, Password = password });
        return await MobileSession.SignInAsync(baseUrl, userId, password, phone);
    }

    /// <summary>Messages the hub processed during the run, from its own audit (written in the background, so wait for it to settle).</summary>
    private static async Task<int> CountAudited(EmbeddedHub hub, TimeSpan window)
    {
        var since = DateTime.UtcNow - window - TimeSpan.FromSeconds(1);
        var last = -1;
        while (true)
        {
            await using var db = hub.Hub.Services.GetRequiredService<HubModuleStore>().OpenAudit();
            var count = await db.Set<AuditedMessage>().CountAsync(m => m.ProcessedAt >= since);
            if (count == last)
                return count;
            last = count;
            await Task.Delay(1000);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Samples this process's working set; the peak over the measured run.</summary>
    private sealed class PeakMemory
    {
        private readonly CancellationTokenSource _stop = new();
        private long _peak;

        public PeakMemory() => _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var p = Process.GetCurrentProcess();
                _peak = Math.Max(_peak, p.WorkingSet64);
                await Task.Delay(100);
            }
        });

        public double PeakMiB => _peak / 1024.0 / 1024.0;

        public void Stop() => _stop.Cancel();
    }
}
