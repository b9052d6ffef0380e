using Hub.Adapters.Identity;

namespace Hub.Adapters.Mobile;

/// <summary>
/// Routes of the mobile API, versioned in the path from the first release because the apps lag
/// behind the hub: <c>/api/v1/&lt;resource&gt;</c> is the contract; <c>/api/&lt;resource&gt;</c> is an
/// alias of v1 kept for the first clients (left out of the OpenAPI document). A v2 would be a new
/// group beside it while v1 keeps answering.
/// </summary>
public static class MobileApi
{
    /// <summary>Current major version of the mobile API.</summary>
    public const string Version = "v1";

    /// <summary>
    /// Maps <paramref name="map"/> under <c>/api/v1/{resource}</c> and its alias, each behind the
    /// mobile sign-in (unless <paramref name="anonymous"/>) and the idempotency filter for POSTs.
    /// </summary>
    public static void MapMobileResource(this IEndpointRouteBuilder routes, string resource, string tag, Action<RouteGroupBuilder> map,
        bool anonymous = false)
    {
        foreach (var (prefix, alias) in new[] { ($"/api/{Version}/{resource}", false), ($"/api/{resource}", true) })
        {
            var group = routes.MapGroup(prefix).WithTags(tag);
            if (!anonymous)
                group.RequireAuthorization(MobileAuthentication.Policy);
            group.AddEndpointFilter<IdempotencyFilter>();
            if (alias)
                group.ExcludeFromDescription();
            map(group);
        }
    }

    /// <summary>The v1 path of <paramref name="path"/>, whichever alias the request used: both name the same resource.</summary>
    public static string Canonical(PathString path)
    {
        var value = path.Value ?? "";
        return value.StartsWith($"/api/{Version}/", StringComparison.OrdinalIgnoreCase) || !value.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
            ? value
            : $"/api/{Version}/" + value["/api/".Length..];
    }
}
