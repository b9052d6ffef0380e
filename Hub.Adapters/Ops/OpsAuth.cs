using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Ops;

/// <summary>Sign-in to the operations view: the staff cookie of <see cref="HubAccess"/>, one per operations user.</summary>
public static class OpsAuth
{
    /// <summary>Body of <c>POST /ops/api/session</c>.</summary>
    public sealed record SignIn(string? Username, string? Password);

    /// <summary>Maps <c>/ops/api/session</c>: sign in (POST), who am I (GET), sign out (DELETE).</summary>
    public static void MapOpsSession(this IEndpointRouteBuilder routes)
    {
        var session = routes.MapGroup("/ops/api/session").WithTags("Operations");
        session.MapPost("", async (SignIn body, OpsUserDirectory users, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(body.Username) || string.IsNullOrEmpty(body.Password) || body.Username.Length > 64 || body.Password.Length > 256)
                return Results.Problem(statusCode: 400, title: "Username and password are required.");
            if (users.Authenticate(body.Username.Trim(), body.Password) is not { } role)
                return Results.Problem(statusCode: 401, title: "Wrong username or password.");
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, body.Username.Trim()), new Claim(ClaimTypes.Role, role)], HubAccess.StaffScheme);
            await http.SignInAsync(HubAccess.StaffScheme, new ClaimsPrincipal(identity));
            return Results.Ok(new { name = body.Username.Trim(), role });
        });
        session.MapGet("", (ClaimsPrincipal user) => Results.Ok(new { name = user.Identity!.Name, role = user.FindFirstValue(ClaimTypes.Role) }))
            .RequireAuthorization(OpsRoles.CanRead);
        session.MapDelete("", async (HttpContext http) =>
        {
            await http.SignOutAsync(HubAccess.StaffScheme);
            return Results.NoContent();
        });
    }
}
