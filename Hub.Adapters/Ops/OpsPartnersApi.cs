using System.Security.Claims;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>A partner system as administrators see it: never its secret or digest.</summary>
public sealed record PartnerAccountView(string Kind, string Name, string? Username, string[] Scopes, bool Enabled, DateTime SecretChangedAt, string SecretSetBy,
    string[] AllowedNetworks);

/// <summary>A partner's new secret, shown once in the answer to its rotation.</summary>
public sealed record RotatedSecret(string Kind, string Name, string Secret);

/// <summary>A partner just created and its secret, shown once.</summary>
public sealed record CreatedPartner(PartnerAccountView Partner, string Secret);

/// <summary>
/// Body of <c>POST /ops/api/partners</c>: <c>kind</c> (<c>erp</c>, <c>billing</c>, <c>sms-gateway</c>, <c>client</c>), <c>name</c>,
/// <c>username</c> (an ERP's UsernameToken user name; only ERPs have one), <c>scopes</c> (clients only, at least one),
/// <c>allowedNetworks</c> (CIDR or addresses; none: any address).
/// </summary>
public sealed record CreatePartnerRequest(string? Kind, string? Name, string? Username, string[]? Scopes, string[]? AllowedNetworks);

/// <summary>Body of <c>PUT /ops/api/partners/{kind}/{name}</c>: what is given is replaced (an empty list of networks: any address).</summary>
public sealed record UpdatePartnerRequest(string[]? AllowedNetworks, string[]? Scopes);

/// <summary>
/// Operations admins keep the partner systems' credentials (<c>partner_account</c>): list them, rotate a secret (the new
/// one is in the answer, once: give it to the partner; the old one stops at once on this instance and within
/// <c>Hub:Partners:RefreshAfter</c> on the others), disable and enable a partner, create one (its secret generated and shown
/// once) and change its allowed networks and scopes. Each change is recorded with who made it, never a secret.
/// </summary>
public static class OpsPartnersApi
{
    /// <summary>Maps <c>/ops/api/partners</c> and <c>/ops/api/partners/{kind}/{name}/rotate|disable|enable</c>, for admins.</summary>
    public static void MapOpsPartners(this RouteGroupBuilder ops)
    {
        ops.MapGet("/partners", async (HubDbContext db, CancellationToken ct) =>
            Results.Ok((await db.Set<PartnerAccount>().AsNoTracking().OrderBy(p => p.Kind).ThenBy(p => p.Name).ToListAsync(ct)).Select(View)))
            .RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/partners", Create).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPut("/partners/{kind}/{name}", Update).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/partners/{kind}/{name}/rotate", async (string kind, string name, HubDbContext db, PartnerDirectory partners, TimeProvider clock,
            ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        {
            if (await FindAsync(db, kind, name, ct) is not { } partner)
                return NotFound(kind, name);
            var secret = await PartnerAccounts.RotateAsync(db, partner, user.Identity!.Name!, clock.GetUtcNow(), ct);
            partners.Forget();
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(new RotatedSecret(partner.Kind, partner.Name, secret));
        }).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/partners/{kind}/{name}/disable", (string kind, string name, HubDbContext db, PartnerDirectory partners, ClaimsPrincipal user,
            CancellationToken ct) => SetEnabled(kind, name, false, db, partners, user, ct)).RequireAuthorization(OpsRoles.CanAdminister);
        ops.MapPost("/partners/{kind}/{name}/enable", (string kind, string name, HubDbContext db, PartnerDirectory partners, ClaimsPrincipal user,
            CancellationToken ct) => SetEnabled(kind, name, true, db, partners, user, ct)).RequireAuthorization(OpsRoles.CanAdminister);
    }

    private static async Task<IResult> Create(CreatePartnerRequest body, HubDbContext db, PartnerDirectory partners, TimeProvider clock, ClaimsPrincipal user,
        HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = body.Kind?.Trim() ?? "";
        if (!PartnerKinds.All.Contains(kind))
            errors["kind"] = [$"kind is one of {string.Join(", ", PartnerKinds.All)}."];
        var name = body.Name?.Trim() ?? "";
        if (!IsName(name))
            errors["name"] = ["name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."];
        var username = string.IsNullOrWhiteSpace(body.Username) ? null : body.Username.Trim();
        if (PartnerKinds.HasUsername(kind) && (username is null || username.Length > 128))
            errors["username"] = ["username (the UsernameToken user name, at most 128 characters) is required for an ERP."];
        else if (!PartnerKinds.HasUsername(kind) && username is not null && PartnerKinds.All.Contains(kind))
            errors["username"] = [$"a partner of kind {kind} has no user name."];
        var scopes = ScopesOrError(kind, body.Scopes, creating: true, errors);
        var networks = NetworksOrError(body.AllowedNetworks ?? [], errors);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The partner cannot be created so.");

        if (await FindAsync(db, kind, name, ct) is not null
            || (username is not null && await db.Set<PartnerAccount>().AnyAsync(p => p.Kind == kind && p.Username == username, ct)))
            return Taken(kind, name, username);
        if (await PartnerAccounts.CreateAsync(db, kind, name, username, scopes ?? [], networks!, user.Identity!.Name!, clock.GetUtcNow(), ct) is not { } created)
            return Taken(kind, name, username);
        var (partner, secret) = created;
        partners.Forget();
        http.Response.Headers.CacheControl = "no-store";
        return Results.Created($"/ops/api/partners/{kind}/{name}", new CreatedPartner(View(partner), secret));
    }

    private static async Task<IResult> Update(string kind, string name, UpdatePartnerRequest body, HubDbContext db, PartnerDirectory partners, ClaimsPrincipal user,
        CancellationToken ct)
    {
        if (await FindAsync(db, kind, name, ct) is not { } partner)
            return NotFound(kind, name);
        var errors = new Dictionary<string, string[]>();
        var scopes = ScopesOrError(kind, body.Scopes, creating: false, errors);
        var networks = body.AllowedNetworks is null ? null : NetworksOrError(body.AllowedNetworks, errors);
        if (body.AllowedNetworks is null && body.Scopes is null)
            errors["allowedNetworks"] = ["give allowedNetworks, scopes or both."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "The partner cannot be changed so.");
        await PartnerAccounts.UpdateAsync(db, partner, networks, scopes, user.Identity!.Name!, ct);
        partners.Forget();
        return Results.Ok(View(partner));
    }

    /// <summary>The scopes to store (null: none given), or field errors: only clients have scopes, and a client at least one.</summary>
    private static string[]? ScopesOrError(string kind, string[]? scopes, bool creating, Dictionary<string, string[]> errors)
    {
        if (scopes is null)
        {
            if (creating && PartnerKinds.HasScopes(kind))
                errors["scopes"] = ["a client needs at least one scope (e.g. notifications:read)."];
            return null;
        }
        if (!PartnerKinds.HasScopes(kind))
        {
            if (scopes.Length > 0 && PartnerKinds.All.Contains(kind))
                errors["scopes"] = [$"a partner of kind {kind} has no scopes."];
            return null;
        }
        var bad = scopes.Where(s => s is null || !IsScope(s.Trim())).ToList();
        if (scopes.Length == 0 || scopes.Length > 20 || bad.Count > 0)
        {
            errors["scopes"] = [bad.Count > 0 ? $"'{bad[0]}' is not a scope (area:action, e.g. notifications:read)." : "a client has 1 to 20 scopes."];
            return null;
        }
        return [.. scopes.Select(s => s.Trim()).Distinct(StringComparer.Ordinal)];
    }

    private static string? NetworksOrError(string[] networks, Dictionary<string, string[]> errors)
    {
        if (networks.Length > 50)
        {
            errors["allowedNetworks"] = ["at most 50 networks."];
            return null;
        }
        var stored = PartnerAccounts.NetworksOrNull(networks, out var bad);
        if (stored is null)
            errors["allowedNetworks"] = [$"'{bad}' {NetworkAllowList.NotANetwork}."];
        return stored;
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsScope(string scope) =>
        scope.Length is > 2 and <= 64 && scope.Count(c => c == ':') == 1 && scope[0] != ':' && scope[^1] != ':'
        && scope.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is ':' or '-' or '.');

    private static IResult Taken(string kind, string name, string? username) => Results.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "The partner exists.", detail: username is null ? $"{kind}/{name} is taken." : $"{kind}/{name} or the user name {username} is taken.");

    private static async Task<IResult> SetEnabled(string kind, string name, bool enabled, HubDbContext db, PartnerDirectory partners, ClaimsPrincipal user,
        CancellationToken ct)
    {
        if (await FindAsync(db, kind, name, ct) is not { } partner)
            return NotFound(kind, name);
        await PartnerAccounts.SetEnabledAsync(db, partner, enabled, user.Identity!.Name!, ct);
        partners.Forget();
        return Results.Ok(View(partner));
    }

    private static Task<PartnerAccount?> FindAsync(HubDbContext db, string kind, string name, CancellationToken ct) =>
        PartnerKinds.All.Contains(kind) && name.Length <= 64
            ? db.Set<PartnerAccount>().FirstOrDefaultAsync(p => p.Kind == kind && p.Name == name, ct)
            : Task.FromResult<PartnerAccount?>(null);

    private static PartnerAccountView View(PartnerAccount p) =>
        new(p.Kind, p.Name, p.Username, p.ScopeList, !p.Disabled, DateTime.SpecifyKind(p.SecretChangedAt, DateTimeKind.Utc), p.SecretSetBy, p.NetworkList);

    private static IResult NotFound(string kind, string name) => Results.Problem(statusCode: 404, title: "No such partner.",
        detail: $"{kind}/{name} is not a partner account (kinds: {string.Join(", ", PartnerKinds.All)}).");
}
