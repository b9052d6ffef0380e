using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>Every route of a host, and whether it asks for an authorisation policy.</summary>
public static class RouteInventory
{
    /// <summary>The routes of <paramref name="services"/>' host that neither require authorisation nor are in <paramref name="open"/>.</summary>
    public static IReadOnlyList<string> Unprotected(IServiceProvider services, IReadOnlySet<string> open) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0 || e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{e.RoutePattern.RawText!.TrimStart('/')}")
            .Where(r => !open.Contains(r))
            .Distinct().Order().ToList();
}

/// <summary>A route without an authorisation policy is caught by the inventory, on the whole hub and on a host made to have one.</summary>
[Collection("access")]
public sealed class RouteInventoryTests(AccessHub hub)
{
    /// <summary>
    /// The routes open to anyone on purpose, each with its own proof or nothing to protect: sign-in, health, the operations
    /// page and its session, the API description, SOAP (WS-Security UsernameToken on every message), webhooks (signatures),
    /// the unsubscribe link (a signed token).
    /// </summary>
    public static readonly IReadOnlySet<string> OpenRoutes = new HashSet<string>(StringComparer.Ordinal)
    {
        "POST /api/v1/auth/login", "POST /api/auth/login",
        "* /health/live", "* /health/ready",
        "GET /ops", "POST /ops/api/session/", "DELETE /ops/api/session/",
        "GET /api/openapi/{documentName}.json",
        "GET,POST /soap/erp",
        "POST /webhooks/billing", "GET /webhooks/sms/kannel/dlr", "GET /webhooks/sms/kannel/inbound",
        "GET /notifications/unsubscribe", "POST /notifications/unsubscribe",
    };

    [Fact]
    public void Every_hub_route_but_the_documented_open_ones_requires_an_authorisation_policy()
    {
        var unprotected = RouteInventory.Unprotected(hub.Hub.Hub.Services, OpenRoutes);
        Assert.True(unprotected.Count == 0, "routes without a policy: " + string.Join("; ", unprotected));
        // The list of open routes stays honest: each is a route the hub has and leaves open.
        var open = RouteInventory.Unprotected(hub.Hub.Hub.Services, new HashSet<string>());
        Assert.Empty(OpenRoutes.Except(open));
    }

    [Fact]
    public async Task The_inventory_fails_for_a_route_without_a_policy()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.MapGet("/guarded", () => "ok").RequireAuthorization();
        app.MapGet("/forgotten", () => "oops");
        await app.StartAsync();

        Assert.Equal(["GET /forgotten"], RouteInventory.Unprotected(app.Services, OpenRoutes));
    }
}
