using System.Collections.Concurrent;
using System.Text;
using Crm.Contracts.Orders;
using Hub.Embedded;
using Hub.Infrastructure;
using MassTransit;
using Hub.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests;

/// <summary>With an OTLP endpoint configured, the hub exports MassTransit's and its own traces and metrics to it.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Traces_and_metrics_reach_the_configured_otlp_endpoint()
    {
        var received = new ConcurrentBag<(string Path, string ContentType, byte[] Body)>();
        var collector = WebApplication.CreateBuilder();
        collector.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = collector.Build();
        app.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Add((http.Request.Path, http.Request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        var collectorUrl = app.Urls.First();

        var root = Path.Combine(Path.GetTempPath(), "hub-otlp-" + Guid.NewGuid().ToString("N")[..8]);
        await using (var hub = await EmbeddedHub.StartAsync(
        [
            "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", "--Logging:Format=simple",
            $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
            $"--Hub:OtlpEndpoint={collectorUrl}", "--Hub:OtlpProtocol=http", "--Hub:OtlpExportInterval=00:00:00.500",
        ]))
        {
            // Straight onto the bus: what is under test is the export, not a channel.
            var orders = await hub.Hub.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(HubQueues.Address(HubQueues.Orders));
            await orders.Send(new PlaceOrder(Guid.NewGuid(), "C1001", "sales-otel", [new OrderLine("BB-100M", null, 1, 10m)], null, "test", DateTimeOffset.UtcNow));

            await Eventually.Get(() => Task.FromResult(received.ToArray()),
                r => r.Any(x => x.Path == "/v1/traces" && Encoding.UTF8.GetString(x.Body).Contains("MassTransit"))
                     && r.Any(x => x.Path == "/v1/metrics" && Encoding.UTF8.GetString(x.Body).Contains("crm.orders.accepted")),
                TimeSpan.FromSeconds(30), "traces and metrics exported");
        }
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
