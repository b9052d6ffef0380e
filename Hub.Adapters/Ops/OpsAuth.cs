using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Hub.Adapters.Ops;

/// <summary>Sign-in to the operations view: a cookie per operations user, roles as policies.</summary>
public static class OpsAuth
{
    /// <summary>The cookie scheme of the operations view (other APIs may add their own schemes).</summary>
    public const string Scheme = "ops";

    /// <summary>Registers the cookie scheme, the users and the reader/operator/admin policies.</summary>
    public static void AddOpsAuth(this IServiceCollection services)
    {
        services.AddSingleton<OpsUserDirectory>();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "crm-hub-ops";
            o.Cookie.HttpOnly = true;
            // Strict: a page on another site cannot make the browser send it with a retry or archive.
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/ops";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // An API answers 401/403; the page shows its own sign-in form.
            o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
            o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(OpsRoles.CanRead, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OpsRoles.Reader, OpsRoles.Operator, OpsRoles.Admin))
            .AddPolicy(OpsRoles.CanOperate, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OpsRoles.Operator, OpsRoles.Admin))
            .AddPolicy(OpsRoles.CanAdminister, p => p.AddAuthenticationSchemes(Scheme).RequireRole(OpsRoles.Admin));
    }

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
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, body.Username.Trim()), new Claim(ClaimTypes.Role, role)], Scheme);
            await http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
            return Results.Ok(new { name = body.Username.Trim(), role });
        });
        session.MapGet("", (ClaimsPrincipal user) => Results.Ok(new { name = user.Identity!.Name, role = user.FindFirstValue(ClaimTypes.Role) }))
            .RequireAuthorization(OpsRoles.CanRead);
        session.MapDelete("", async (HttpContext http) =>
        {
            await http.SignOutAsync(Scheme);
            return Results.NoContent();
        });
    }
}
