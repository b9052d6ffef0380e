using System.Net;
using System.Net.Http.Json;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Ops;

/// <summary>
/// Operations staff on the notifications API (the functions host's routes, in the embedded hub) and the staff cookie
/// accepted by another host on the same store: the key ring lives in the store, not in one process.
/// </summary>
[Collection("ops")]
public sealed class StaffAccessAcrossHostsTests(OpsHub hub)
{
    [Fact]
    public async Task A_reader_sees_notifications_but_only_an_operator_registers_recipients()
    {
        var key = "customer:STAFF-" + Guid.NewGuid().ToString("N")[..8];
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications")).StatusCode);

        using var reader = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/notifications?limit=5")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync($"/api/notifications/recipients/{key}", new { name = "赵六", email = "z@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/notifications/recipients/{key}")).StatusCode);

        using var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator);
        Assert.Equal(HttpStatusCode.Created, (await operatorUser.PutAsJsonAsync($"/api/notifications/recipients/{key}", new { name = "赵六", email = "z@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/notifications/recipients/{key}")).StatusCode);
    }

    [Fact]
    public async Task A_staff_cookie_from_one_host_is_accepted_by_another_host_on_the_same_store()
    {
        using var reader = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
        var cookie = OpsTestUsers.CookieHeader(reader, hub.BaseUrl);

        await using var other = HubApp.Build(
            ["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={hub.DatabasePath}", "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning"],
            "http://127.0.0.1:0", [new StaffProbeModule()]);
        await other.StartAsync();
        try
        {
            var url = other.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/probe")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/probe");
            request.Headers.Add("Cookie", cookie);
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ops-reader", await response.Content.ReadAsStringAsync());

            using var tampered = new HttpRequestMessage(HttpMethod.Get, "/probe");
            tampered.Headers.Add("Cookie", cookie[..^4] + "AAAA");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(tampered)).StatusCode);
        }
        finally
        {
            await other.StopAsync();
        }
    }

    [Fact]
    public async Task A_disabled_accounts_cookie_is_refused_by_the_functions_host_at_its_next_call()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = "ops-fn-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "functions-password-1";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/ops/api/staff", new { name, role = OpsRoles.Reader, password })).StatusCode);
        var jar = new CookieContainer();
        using var staff = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsJsonAsync("/ops/api/session", new { username = name, password })).StatusCode);
        var cookie = jar.GetCookieHeader(new Uri(hub.BaseUrl));

        // The notification functions alone, as the distributed mode runs them, on the same store.
        var root = Path.Combine(Path.GetTempPath(), "hub-fn-" + Guid.NewGuid().ToString("N")[..8]);
        await using var functions = HubApp.Build(
            ["--urls=http://127.0.0.1:0", $"--Hub:SqlitePath={hub.DatabasePath}", $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}",
             "--Logging:Format=simple", "--Logging:LogLevel:Default=Warning"],
            "http://127.0.0.1:0", [new Hub.Functions.FunctionsModule()]);
        await functions.StartAsync();
        try
        {
            var url = functions.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Task<HttpResponseMessage> Notifications()
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications?limit=1");
                request.Headers.Add("Cookie", cookie);
                return http.SendAsync(request);
            }
            Assert.Equal(HttpStatusCode.OK, (await Notifications()).StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ops/api/staff/{name}/disable", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Notifications()).StatusCode);
        }
        finally
        {
            await functions.StopAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A host with nothing but one staff-only route.</summary>
    private sealed class StaffProbeModule : IHubModule
    {
        public string Name => "StaffProbe";
        public void AddServices(WebApplicationBuilder builder) { }
        public void AddBus(IBusRegistrationConfigurator bus) { }
        public void Map(WebApplication app) =>
            app.MapGet("/probe", (HttpContext http) => Results.Text(http.User.Identity!.Name!)).RequireAuthorization(OpsRoles.CanRead);
    }
}
