using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Hub.Functions.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests;

/// <summary>Who may use the notifications API: partner systems by their scopes, nobody anonymously; the open routes carry their own proof.</summary>
[Collection("notifications")]
public sealed partial class NotificationsAccessTests(NotificationsFixture f)
{
    /// <summary>Routes open on purpose, and why: health probes, the unsubscribe link (its token), the SMS gateway's callbacks (signature / key).</summary>
    private static readonly string[] OpenRoutes =
    [
        "/health/live", "/health/ready", "/notifications/unsubscribe", "/webhooks/sms/kannel/dlr", "/webhooks/sms/kannel/inbound",
    ];

    [Fact]
    public async Task Every_route_but_the_documented_open_ones_refuses_an_anonymous_caller()
    {
        var routes = f.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"],
                Protected: e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 && e.Metadata.GetMetadata<IAllowAnonymous>() is null))
            .ToList();
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/notifications", StringComparison.Ordinal));

        var unprotected = routes.Where(r => !r.Protected).Select(r => r.Pattern.TrimEnd('/')).Except(OpenRoutes).ToList();
        Assert.True(unprotected.Count == 0, "routes open to anyone: " + string.Join(", ", unprotected));

        using var anonymous = f.Host.Http(clientId: null);
        foreach (var (pattern, methods, _) in routes.Where(r => r.Protected))
        {
            var path = RouteParameter().Replace(pattern, _ => Guid.NewGuid().ToString());
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" ? null : JsonContent.Create(new { }) };
                var response = await anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [InlineData("crm", "wrong-secret")]
    [InlineData("nobody", FunctionsHost.ClientSecret)]
    public async Task Wrong_client_credentials_get_a_basic_challenge_and_see_nothing(string clientId, string secret)
    {
        using var http = f.Host.Http(clientId, secret);
        var response = await http.GetAsync("/api/notifications");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var malformed = f.Host.Http(clientId: null);
        malformed.DefaultRequestHeaders.Authorization = new("Basic", "%%%not-base64");
        Assert.Equal(HttpStatusCode.Unauthorized, (await malformed.GetAsync("/api/notifications")).StatusCode);
    }

    [Fact]
    public async Task A_read_only_client_reads_but_may_not_register_recipients_or_start_campaigns()
    {
        using var reports = f.Host.Http(FunctionsHost.ReadOnlyClientId);
        Assert.Equal(HttpStatusCode.OK, (await reports.GetAsync("/api/notifications?limit=5")).StatusCode);
        var key = "customer:ACL-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Forbidden, (await reports.PutAsJsonAsync($"/api/notifications/recipients/{key}", new { name = "王五", email = "w@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reports.PostAsJsonAsync("/api/notifications/campaigns", new { name = "x", channel = "email" })).StatusCode);

        // Refused means unchanged: the writer then finds no such recipient until it registers one.
        using var crm = f.Host.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await crm.GetAsync($"/api/notifications/recipients/{key}")).StatusCode);
        await f.Register(key, new { name = "王五", email = "w@example.com" });
        Assert.Equal(HttpStatusCode.OK, (await reports.GetAsync($"/api/notifications/recipients/{key}")).StatusCode);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
