using System.Security.Claims;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>A partner system as administrators see it: never its secret or digest.</summary>
public sealed record PartnerAccountView(string Kind, string Name, string? Username, string[] Scopes, bool Enabled, DateTime SecretChangedAt, string SecretSetBy);

/// <summary>A partner's new secret, shown once in the answer to its rotation.</summary>
public sealed record RotatedSecret(string Kind, string Name, string Secret);

/// <summary>
/// Operations admins keep the partner systems' credentials (<c>partner_account</c>): list them, rotate a secret (the new
/// one is in the answer, once: give it to the partner; the old one stops at once on this instance and within
/// <c>Hub:Partners:RefreshAfter</c> on the others), disable and enable a partner. Each change is recorded.
/// </summary>
public static class OpsPartnersApi
{
    /// <summary>Maps <c>/ops/api/partners</c> and <c>/ops/api/partners/{kind}/{name}/rotate|disable|enable</c>, for admins.</summary>
    public static void MapOpsPartners(this RouteGroupBuilder ops)
    {
        ops.MapGet("/partners", async (HubDbContext db, CancellationToken ct) =>
            Results.Ok((await db.Set<PartnerAccount>().AsNoTracking().OrderBy(p => p.Kind).ThenBy(p => p.Name).ToListAsync(ct)).Select(View)))
            .RequireAuthorization(OpsRoles.CanAdminister);
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
        new(p.Kind, p.Name, p.Username, p.ScopeList, !p.Disabled, DateTime.SpecifyKind(p.SecretChangedAt, DateTimeKind.Utc), p.SecretSetBy);

    private static IResult NotFound(string kind, string name) => Results.Problem(statusCode: 404, title: "No such partner.",
        detail: $"{kind}/{name} is not a partner account (kinds: {string.Join(", ", PartnerKinds.All)}).");
}
