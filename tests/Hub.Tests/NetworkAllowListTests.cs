using System.Net;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests;

/// <summary>IP lock per channel (003 §3.15): a locked channel answers only its networks; the others are untouched.</summary>
public sealed class NetworkAllowListTests
{
    [Theory]
    [InlineData("10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.0/8", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("192.168.1.7", HttpStatusCode.Forbidden)]
    public async Task A_locked_channel_answers_only_its_networks(string network, HttpStatusCode expected)
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-ip-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        await using var app = HubApp.Build(
            ["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}", "--Logging:Format=simple", "--Logging:LogLevel:Default=Error",
             $"--Hub:Access:AllowedNetworks:ops:0={network}"], "http://127.0.0.1:0", [new ProbeModule()]);
        await app.StartAsync();
        try
        {
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var ops = await http.GetAsync("/ops/probe");
            Assert.Equal(expected, ops.StatusCode);
            if (expected == HttpStatusCode.Forbidden)
                Assert.Equal("application/problem+json", ops.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/probe")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--Hub:Access:AllowedNetworks:intranet:0=10.0.0.0/8", "names no channel")]
    [InlineData("--Hub:Access:AllowedNetworks:ops:0=10.0.0.0/33", "neither a network")]
    [InlineData("--Hub:Access:AllowedNetworks:erp-soap:0=erp.example.com", "neither a network")]
    public void A_wrong_list_stops_the_host_at_start(string setting, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HubApp.Build(["--urls=http://127.0.0.1:0", setting], "http://127.0.0.1:0", [new ProbeModule()]));
        Assert.Contains(reason, error.Message);
    }

    private sealed class ProbeModule : IHubModule
    {
        public string Name => "Probe";
        public void AddServices(WebApplicationBuilder builder) { }
        public void AddBus(IBusRegistrationConfigurator bus) { }
        public void Map(WebApplication app)
        {
            app.MapGet("/ops/probe", () => Results.Text("ops"));
            app.MapGet("/api/v1/probe", () => Results.Text("mobile"));
        }
    }
}
