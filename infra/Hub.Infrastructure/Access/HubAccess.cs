using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Hub.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Infrastructure.Access;

/// <summary>
/// Who may call the hub's staff and system APIs, the same on every host: operations staff by the sign-in cookie of
/// <c>/ops</c> (keys in the hub store, so any host and instance accepts it) and partner systems by HTTP Basic with a
/// client id and secret kept in <c>partner_account</c> (configuration's <c>Hub:Clients</c> imported at start). Mobile users have their own bearer scheme in Hub.Adapters.
/// </summary>
public static class HubAccess
{
    /// <summary>The operations staff's cookie scheme.</summary>
    public const string StaffScheme = "ops";

    /// <summary>The partner systems' HTTP Basic scheme.</summary>
    public const string ClientScheme = "hub-client";

    /// <summary>Claim type of a client's scopes.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>Registers the key ring, both schemes, the operations users and the reader/operator/admin policies.</summary>
    public static void AddHubAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IHubStoreModel, AccessStoreModel>();
        services.AddSingleton<IHubStoreModel, StaffAuthorityStoreModel>();
        services.AddOptions<StaffRolesOptions>().Bind(builder.Configuration.GetSection(StaffRolesOptions.Section))
            .Validate(o => !o.Problems().Any(), "Access:Roles: every role needs known permissions, each with a scope Own, Office, Region or All; Access:GrantCacheDuration from 0 to 5 minutes.")
            .ValidateOnStart();
        services.AddSingleton(sp => new StaffRoleCatalog(sp.GetRequiredService<IOptions<StaffRolesOptions>>().Value));
        services.AddScoped<SignInHistory>();
        services.AddHttpContextAccessor();
        services.AddScoped<Hub.Persistence.History.IChangeAuthorSource>(sp =>
            new ChangeAuthorSource(sp.GetRequiredService<IHttpContextAccessor>(), sp.GetService<MassTransit.DependencyInjection.IScopedConsumeContextProvider>()));
        services.AddDataProtection().SetApplicationName("crm-hub");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyRing(sp.GetRequiredService<IServiceScopeFactory>())));

        services.AddSingleton<OpsUserDirectory>();
        services.AddOptions<HubClientsOptions>().Bind(builder.Configuration.GetSection("Hub"))
            .Validate(o => o.Clients.All(c => c.Value.IsValid()),
                "Each Hub:Clients:<id> needs a SecretHash from 'hash-password', at least one scope in Scopes, and AllowedNetworks (if any) as CIDR networks or addresses.")
            .ValidateOnStart();
        services.AddSingleton<HubClientDirectory>();

        // Partner systems' credentials: one table, configuration imported at start (Hub:Clients here; each host adds its own).
        services.AddSingleton<IHubStoreModel, PartnerAccountStoreModel>();
        services.AddOptions<PartnerDirectoryOptions>().Bind(builder.Configuration.GetSection("Hub:Partners"))
            .Validate(o => o.RefreshAfter > TimeSpan.Zero && o.RefreshAfter <= TimeSpan.FromMinutes(10), "Hub:Partners:RefreshAfter must be positive and at most 00:10:00.")
            .ValidateOnStart();
        services.AddSingleton<PartnerDirectory>();
        services.AddHostedService<PartnerAccountImport>();
        services.AddPartnerSeeds(sp => sp.GetRequiredService<IOptions<HubClientsOptions>>().Value.Clients
            .Select(c => new PartnerSeed(PartnerKinds.Client, c.Key, null, c.Value.SecretHash, c.Value.Scopes, c.Value.AllowedNetworks)));

        services.AddAuthentication()
            .AddCookie(StaffScheme, o =>
            {
                o.Cookie.Name = "crm-hub-ops";
                o.Cookie.HttpOnly = true;
                // Strict: a page on another site cannot make the browser send it with a retry or archive.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The whole site: the notifications API (another host in the distributed mode, behind the same front) reads it too.
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers 401/403; the page shows its own sign-in form.
                o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                // Every host, not only the one that issued it: a disabled account's cookie stops at its next request anywhere.
                o.Events.OnValidatePrincipal = StaffMembers.RefuseDisabledAccounts;
            })
            .AddScheme<AuthenticationSchemeOptions, HubClientAuthentication>(ClientScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OpsRoles.CanRead, StaffOrClient(StaffPermissions.OpsRead))
            .AddPolicy(OpsRoles.CanOperate, StaffOrClient(StaffPermissions.OpsRetry))
            .AddPolicy(OpsRoles.CanAdminister, StaffOrClient(StaffPermissions.OpsAdminister))
            .AddPolicy(OpsRoles.SignedIn, new AuthorizationPolicyBuilder(StaffScheme).RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// A policy met by a signed-in staff member one of whose roles carries <paramref name="permission"/> (the role
    /// definitions of <see cref="StaffRoleCatalog"/>), or by a partner system granted one of <paramref name="scopes"/>
    /// (none: staff only).
    /// </summary>
    public static AuthorizationPolicy StaffOrClient(string permission, params string[] scopes) =>
        new AuthorizationPolicyBuilder(scopes.Length > 0 ? [StaffScheme, ClientScheme] : [StaffScheme])
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => ctx.User.Identities.Any(i => i.IsAuthenticated && (
                (i.AuthenticationType == StaffScheme && StaffMay(ctx, i, permission))
                || (i.AuthenticationType == ClientScheme && scopes.Any(s => i.HasClaim(ScopeClaim, s))))))
            .Build();

    /// <summary>Whether the staff identity's roles carry <paramref name="permission"/>, by the role definitions in force.</summary>
    private static bool StaffMay(AuthorizationHandlerContext ctx, ClaimsIdentity staff, string permission)
    {
        var catalog = (ctx.Resource as HttpContext)?.RequestServices.GetService<StaffRoleCatalog>() ?? StaffRoleCatalog.Default;
        return catalog.AnyCarries(staff.FindAll(ClaimTypes.Role).Select(c => c.Value), permission);
    }
}

/// <summary>
/// Partner systems allowed to call the hub (section <c>Hub:Clients</c>): a bootstrap import into <c>partner_account</c>
/// (kind <c>client</c>) at start; the check reads the store.
/// </summary>
public sealed class HubClientsOptions
{
    /// <summary><c>Hub:Clients:&lt;clientId&gt;</c>: one entry per partner system (the CRM front end, an ERP, a marketing tool).</summary>
    public Dictionary<string, HubClient> Clients { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One partner system.</summary>
public sealed class HubClient
{
    /// <summary>Digest of the client secret, made by <c>hash-password</c>.</summary>
    public string SecretHash { get; set; } = "";

    /// <summary>What it may do, e.g. <c>notifications:read</c>, <c>notifications:write</c>.</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>The networks (CIDR or addresses) it may call from; none: any address.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    internal bool IsValid() => PasswordDigest.IsDigest(SecretHash) && Scopes.Length > 0 && Scopes.All(s => !string.IsNullOrWhiteSpace(s))
        && PartnerAccounts.NetworksOrNull(AllowedNetworks, out _) is not null;
}

/// <summary>
/// Checks client credentials against <c>partner_account</c>; a verified secret is remembered briefly so PBKDF2 is not
/// paid on every call (keyed by the stored digest too, so a rotated secret is checked afresh).
/// </summary>
internal sealed class HubClientDirectory(PartnerDirectory partners, TimeProvider clock)
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);
    private static readonly string DummyDigest = PasswordDigest.Hash(Guid.NewGuid().ToString());
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    public async Task<PartnerAccount?> AuthenticateAsync(string clientId, string secret, CancellationToken ct)
    {
        if (await partners.FindAsync(PartnerKinds.Client, clientId, ct) is not { SecretHash: { } digest } client)
        {
            // Same work for an unknown or disabled client, so the answer time does not tell which ids exist.
            PasswordDigest.Verify(secret, DummyDigest);
            return null;
        }
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{clientId}\n{digest}\n{secret}")));
        var now = clock.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now)
            return client;
        if (!client.Accepts(secret))
            return null;
        if (_verified.Count > 1000)
            _verified.Clear();
        _verified[key] = now + Remember;
        return client;
    }
}

/// <summary>HTTP Basic for partner systems: <c>Authorization: Basic base64(clientId:secret)</c>, over TLS in production.</summary>
internal sealed class HubClientAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    HubClientDirectory clients) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0 || decoded.Length > 512)
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        var clientId = decoded[..colon];
        if (await clients.AuthenticateAsync(clientId, decoded[(colon + 1)..], Context.RequestAborted) is not { } client)
            return AuthenticateResult.Fail("Unknown client or wrong secret.");
        // IP lock per partner: from elsewhere the right secret answers as a wrong one (the log says why).
        if (!client.AllowsAddress(Context.Connection.RemoteIpAddress))
        {
            Logger.LogWarning("Client {ClientId} refused: {Address} is outside its allowed networks", clientId, Context.Connection.RemoteIpAddress);
            return AuthenticateResult.Fail("Unknown client or wrong secret.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, clientId), .. client.ScopeList.Select(s => new Claim(HubAccess.ScopeClaim, s))], HubAccess.ClientScheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), HubAccess.ClientScheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Browsers (they send Sec-Fetch-*) sign in with the staff cookie: a Basic challenge would pop up a password dialog.
        if (!Request.Headers.ContainsKey("Sec-Fetch-Site"))
            Response.Headers.Append("WWW-Authenticate", "Basic realm=\"crm-hub\", charset=\"UTF-8\"");
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>Bus wiring of the change history's authors.</summary>
public static class ChangeAuthorRegistration
{
    /// <summary>Stamps messages sent while handling an HTTP request with its caller (see <see cref="ChangeAuthorHeaders"/>).</summary>
    public static void ConnectChangeAuthorHeaders(this MassTransit.IBusFactoryConfigurator cfg, MassTransit.IBusRegistrationContext context)
    {
        var headers = new ChangeAuthorHeaders(context.GetRequiredService<IHttpContextAccessor>());
        cfg.ConnectSendObserver(headers);
        cfg.ConnectPublishObserver(headers);
    }
}
