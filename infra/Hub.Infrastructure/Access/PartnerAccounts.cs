using System.Net;
using System.Security.Cryptography;
using Hub.Persistence;
using Hub.Persistence.Encryption;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Infrastructure.Access;

/// <summary>The kinds of partner system that call the hub.</summary>
public static class PartnerKinds
{
    /// <summary>An ERP calling <c>/soap/erp</c> with a WS-Security UsernameToken.</summary>
    public const string Erp = "erp";
    /// <summary>Billing signing its webhooks with HMAC-SHA256.</summary>
    public const string Billing = "billing";
    /// <summary>The SMS gateway (Kannel) passing its key on the inbound-SMS callback.</summary>
    public const string SmsGateway = "sms-gateway";
    /// <summary>A system calling the hub's APIs with HTTP Basic (<c>Hub:Clients</c>).</summary>
    public const string Client = "client";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Erp, Billing, SmsGateway, Client };

    /// <summary>
    /// Whether the hub keeps the secret itself (sealed with the column keys): the protocol needs it (PasswordDigest,
    /// HMAC signatures, a key compared as given). A client's secret is only ever verified, so only its digest is kept.
    /// </summary>
    public static bool KeepsSecret(string kind) => kind != Client;

    /// <summary>Whether partners of <paramref name="kind"/> present a user name (an ERP's UsernameToken).</summary>
    public static bool HasUsername(string kind) => kind == Erp;

    /// <summary>Whether partners of <paramref name="kind"/> carry scopes (API clients).</summary>
    public static bool HasScopes(string kind) => kind == Client;
}

/// <summary>
/// One partner system's credentials (table <c>partner_account</c>; 003 §3.15): the secret sealed with the column keys
/// (<see cref="Secret"/>) where the protocol needs it, a PBKDF2 digest (<see cref="SecretHash"/>) where verifying is
/// enough. Every change is recorded in <c>hub_entity_change</c> without either.
/// </summary>
public sealed class PartnerAccount
{
    /// <summary><c>&lt;kind&gt;:&lt;name&gt;</c>, the row's key (key rotation of the sealed column pages by one key column).</summary>
    public string Id { get; set; } = "";
    /// <summary>One of <see cref="PartnerKinds"/>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The partner's id within its kind: the ERP's partner id, the client id, <c>billing</c>, <c>kannel-inbound</c>.</summary>
    public string Name { get; set; } = "";
    /// <summary>The user name it presents (an ERP's UsernameToken); null where the protocol has none.</summary>
    public string? Username { get; set; }
    /// <summary>The secret itself, stored encrypted (ERP password, billing's HMAC secret, the SMS gateway's key).</summary>
    public string? Secret { get; set; }
    /// <summary>PBKDF2 digest of a client's secret (<see cref="PasswordDigest"/>).</summary>
    public string? SecretHash { get; set; }
    /// <summary>What a client may do, space-separated (e.g. <c>notifications:read notifications:write</c>).</summary>
    public string Scopes { get; set; } = "";
    /// <summary>
    /// The networks (CIDR or addresses, space-separated) the partner may call from (003 §3.15 IP 锁定); empty: any address
    /// (the channel's own list, <c>Hub:Access:AllowedNetworks</c>, still applies).
    /// </summary>
    public string AllowedNetworks { get; set; } = "";
    /// <summary>A disabled partner is refused everywhere.</summary>
    public bool Disabled { get; set; }
    /// <summary>When the secret was last set (UTC).</summary>
    public DateTime SecretChangedAt { get; set; }
    /// <summary><see cref="StaffAuthority.Configuration"/> while the secret is the one configuration gives, else who rotated it.</summary>
    public string SecretSetBy { get; set; } = "";

    /// <summary>The scopes as a list.</summary>
    public string[] ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The allowed networks as a list.</summary>
    public string[] NetworkList => AllowedNetworks.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // Parsed once per text: the directory's rows answer every call of the partner, from many threads (one reference, set whole).
    private ParsedNetworks? _parsed;

    private sealed record ParsedNetworks(string Text, IPNetwork[] Networks);

    /// <summary>
    /// Whether the partner may call from <paramref name="address"/>: any address when it has no list. An entry that no
    /// longer reads as a network (it was checked when written) matches nothing, so a damaged list refuses rather than opens.
    /// </summary>
    public bool AllowsAddress(IPAddress? address)
    {
        if (AllowedNetworks.Length == 0)
            return true;
        var parsed = _parsed;
        if (parsed is null || !ReferenceEquals(parsed.Text, AllowedNetworks))
            _parsed = parsed = new ParsedNetworks(AllowedNetworks,
                [.. NetworkList.Select(t => NetworkAllowList.TryParse(t, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>()]);
        return NetworkAllowList.Contains(parsed.Networks, address);
    }

    /// <summary>Whether <paramref name="secret"/> is this partner's (constant time; a digest for clients).</summary>
    public bool Accepts(string secret) => KeepsSecret
        ? Secret is { Length: > 0 } kept && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(kept), System.Text.Encoding.UTF8.GetBytes(secret))
        : SecretHash is { } digest && PasswordDigest.Verify(secret, digest);

    private bool KeepsSecret => PartnerKinds.KeepsSecret(Kind);
}

/// <summary>A partner as configuration gives it, imported into <c>partner_account</c> at start.</summary>
/// <param name="Kind">One of <see cref="PartnerKinds"/>.</param>
/// <param name="Name">Its id within the kind.</param>
/// <param name="Username">The user name it presents, if any.</param>
/// <param name="Secret">The secret (kinds that keep it) or its PBKDF2 digest (clients).</param>
/// <param name="Scopes">A client's scopes.</param>
/// <param name="AllowedNetworks">The networks it may call from (none: any; see <see cref="PartnerAccount.AllowedNetworks"/>).</param>
public sealed record PartnerSeed(string Kind, string Name, string? Username, string Secret, IReadOnlyList<string>? Scopes = null,
    IReadOnlyList<string>? AllowedNetworks = null)
{
    // Keep the secret out of logs and exception messages.
    public override string ToString() => $"PartnerSeed {{ Kind = {Kind}, Name = {Name}, Username = {Username} }}";
}

/// <summary>Partners a host takes from its configuration (registered with <see cref="PartnerAccountRegistration.AddPartnerSeeds"/>).</summary>
public sealed class PartnerSeedSource(Func<IServiceProvider, IEnumerable<PartnerSeed>> seeds)
{
    internal IEnumerable<PartnerSeed> Read(IServiceProvider services) => seeds(services);
}

/// <summary>How fresh the partners' credentials are on each instance (section <c>Hub:Partners</c>).</summary>
public sealed class PartnerDirectoryOptions
{
    /// <summary>
    /// How long an instance answers from the credentials it read: a rotation or a disabling made on another instance
    /// takes effect there within this time (at once on the instance that made it).
    /// </summary>
    public TimeSpan RefreshAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The partners' credentials as the checks read them (SOAP UsernameToken, webhook signatures, HTTP Basic, the SMS
/// gateway's key): the whole table, cached for <see cref="PartnerDirectoryOptions.RefreshAfter"/> (it holds a few rows
/// and is read on every partner call).
/// </summary>
public sealed class PartnerDirectory(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PartnerDirectoryOptions> options)
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyList<PartnerAccount> Accounts);

    /// <summary>The enabled partners of <paramref name="kind"/>.</summary>
    public async ValueTask<IReadOnlyList<PartnerAccount>> EnabledAsync(string kind, CancellationToken ct) =>
        (await AllAsync(ct)).Where(p => p.Kind == kind && !p.Disabled).ToList();

    /// <summary>The enabled partner <paramref name="name"/> of <paramref name="kind"/>, or null.</summary>
    public async ValueTask<PartnerAccount?> FindAsync(string kind, string name, CancellationToken ct) =>
        (await AllAsync(ct)).FirstOrDefault(p => p.Kind == kind && p.Name == name && !p.Disabled);

    /// <summary>Drops the cached credentials, after a change on this instance.</summary>
    public void Forget() => _snapshot = null;

    private async ValueTask<IReadOnlyList<PartnerAccount>> AllAsync(CancellationToken ct)
    {
        if (_snapshot is { } fresh && clock.GetUtcNow() - fresh.ReadAt < options.Value.RefreshAfter)
            return fresh.Accounts;
        await _reading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } other && clock.GetUtcNow() - other.ReadAt < options.Value.RefreshAfter)
                return other.Accounts;
            var readAt = clock.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var accounts = await db.Set<PartnerAccount>().AsNoTracking().ToListAsync(ct);
            _snapshot = new Snapshot(readAt, accounts);
            return accounts;
        }
        finally
        {
            _reading.Release();
        }
    }
}

/// <summary>Creating, rotating and disabling partner accounts; each change recorded (never the secret).</summary>
public static class PartnerAccounts
{
    /// <summary>A new random secret (32 bytes, base64url): long enough for HMAC keys, passwords and keys alike.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Creates a partner (its fields checked by the caller) with a new random secret, returned once; recorded as
    /// <c>added</c> by <paramref name="actor"/>. Null when <paramref name="kind"/>/<paramref name="name"/> was taken meanwhile.
    /// </summary>
    public static async Task<(PartnerAccount Partner, string Secret)?> CreateAsync(HubDbContext db, string kind, string name, string? username,
        IEnumerable<string> scopes, string allowedNetworks, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var secret = NewSecret();
        var partner = New(kind, name, now, actor);
        partner.Username = username;
        partner.Scopes = string.Join(' ', scopes);
        partner.AllowedNetworks = allowedNetworks;
        SetSecret(partner, PartnerKinds.KeepsSecret(kind) ? secret : PasswordDigest.Hash(secret), PartnerKinds.KeepsSecret(kind));
        db.Add(partner);
        db.NameNextChange("added", $"created by {actor}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException conflict) when (HubStoreConflicts.IsUniqueViolation(conflict))
        {
            db.Entry(partner).State = EntityState.Detached;
            return null;
        }
        return (partner, secret);
    }

    /// <summary>Sets what of <paramref name="partner"/> is given (null: unchanged), recorded as <c>updated</c> by <paramref name="actor"/>.</summary>
    public static async Task UpdateAsync(HubDbContext db, PartnerAccount partner, string? allowedNetworks, IEnumerable<string>? scopes, string actor,
        CancellationToken ct)
    {
        if (allowedNetworks is not null)
            partner.AllowedNetworks = allowedNetworks;
        if (scopes is not null)
            partner.Scopes = string.Join(' ', scopes);
        db.NameNextChange("updated", $"updated by {actor}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gives <paramref name="partner"/> a new secret, returned once (the store keeps it sealed, or its digest for a client).</summary>
    public static async Task<string> RotateAsync(HubDbContext db, PartnerAccount partner, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var secret = NewSecret();
        if (PartnerKinds.KeepsSecret(partner.Kind))
            partner.Secret = secret;
        else
            partner.SecretHash = PasswordDigest.Hash(secret);
        partner.SecretChangedAt = now.UtcDateTime;
        partner.SecretSetBy = actor;
        db.NameNextChange("secret-rotated", $"secret rotated by {actor}");
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>Disables or enables <paramref name="partner"/>.</summary>
    public static async Task SetEnabledAsync(HubDbContext db, PartnerAccount partner, bool enabled, string actor, CancellationToken ct)
    {
        if (partner.Disabled == !enabled)
            return;
        partner.Disabled = !enabled;
        await AccountChanges.SaveEnabledAsync(db, enabled, actor, ct);
    }

    /// <summary>
    /// The bootstrap import of one configured partner: created when absent; of an existing one, the secret is renewed
    /// from configuration only while it is still configuration's (a secret rotated in the store is never overwritten);
    /// user name and scopes follow configuration.
    /// </summary>
    internal static async Task ImportAsync(HubDbContext db, PartnerSeed seed, DateTimeOffset now, CancellationToken ct)
    {
        var keeps = PartnerKinds.KeepsSecret(seed.Kind);
        var scopes = string.Join(' ', seed.Scopes ?? []);
        var networks = NetworksOrNull(seed.AllowedNetworks ?? [], out var bad) ?? throw new InvalidOperationException(
            $"Partner {seed.Kind}:{seed.Name} of configuration: allowed network '{bad}' {NetworkAllowList.NotANetwork}.");
        var partner = await db.Set<PartnerAccount>().FirstOrDefaultAsync(p => p.Kind == seed.Kind && p.Name == seed.Name, ct);
        if (partner is null)
        {
            db.Add(partner = New(seed.Kind, seed.Name, now, StaffAuthority.Configuration));
            SetSecret(partner, seed.Secret, keeps);
        }
        else if (partner.SecretSetBy == StaffAuthority.Configuration && (keeps ? partner.Secret : partner.SecretHash) != seed.Secret)
        {
            SetSecret(partner, seed.Secret, keeps);
            partner.SecretChangedAt = now.UtcDateTime;
        }
        partner.Username = seed.Username;
        partner.Scopes = scopes;
        // Networks named in configuration are configuration's to keep; without any, the store's (set by an admin) stay.
        if (networks.Length > 0 || db.Entry(partner).State == EntityState.Added)
            partner.AllowedNetworks = networks;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException conflict) when (HubStoreConflicts.IsUniqueViolation(conflict) && db.Entry(partner).State == EntityState.Added)
        {
            // Another instance starting at the same moment imported it.
            db.Entry(partner).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// <paramref name="networks"/> as stored (each checked by <see cref="NetworkAllowList.TryParse"/>, space-separated,
    /// duplicates dropped), or null with the first one that is not a network in <paramref name="bad"/>.
    /// </summary>
    public static string? NetworksOrNull(IEnumerable<string?> networks, out string? bad)
    {
        bad = null;
        var kept = new List<string>();
        foreach (var text in networks)
        {
            if (!NetworkAllowList.TryParse(text, out _))
            {
                bad = text;
                return null;
            }
            if (!kept.Contains(text!.Trim()))
                kept.Add(text.Trim());
        }
        return string.Join(' ', kept);
    }

    private static PartnerAccount New(string kind, string name, DateTimeOffset now, string setBy) =>
        new() { Id = $"{kind}:{name}", Kind = kind, Name = name, SecretChangedAt = now.UtcDateTime, SecretSetBy = setBy };

    private static void SetSecret(PartnerAccount partner, string secret, bool keeps)
    {
        if (keeps)
            partner.Secret = secret;
        else
            partner.SecretHash = secret;
    }
}

/// <summary>What staff and partner account changes share.</summary>
public static class AccountChanges
{
    /// <summary>Saves an account just enabled or disabled, recorded as <c>enabled</c> / <c>disabled</c> by <paramref name="actor"/>.</summary>
    public static Task SaveEnabledAsync(HubDbContext db, bool enabled, string actor, CancellationToken ct)
    {
        var operation = enabled ? "enabled" : "disabled";
        db.NameNextChange(operation, $"{operation} by {actor}");
        return db.SaveChangesAsync(ct);
    }
}

/// <summary>Imports every host's configured partners at start, after the schema is migrated.</summary>
internal sealed class PartnerAccountImport(IEnumerable<PartnerSeedSource> sources, IServiceProvider services, IServiceScopeFactory scopes, TimeProvider clock,
    PartnerDirectory directory, ILogger<PartnerAccountImport> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seeds = sources.SelectMany(s => s.Read(services)).ToList();
        if (seeds.Count == 0)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        foreach (var seed in seeds)
            await PartnerAccounts.ImportAsync(db, seed, clock.GetUtcNow(), cancellationToken);
        directory.Forget();
        log.LogInformation("Partner accounts from configuration: {Partners}", string.Join(", ", seeds.Select(s => $"{s.Kind}:{s.Name}")));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Registration of the partner accounts.</summary>
public static class PartnerAccountRegistration
{
    /// <summary>Adds partners this host takes from its configuration to the start-up import.</summary>
    public static IServiceCollection AddPartnerSeeds(this IServiceCollection services, Func<IServiceProvider, IEnumerable<PartnerSeed>> seeds) =>
        services.AddSingleton(new PartnerSeedSource(seeds));
}

/// <summary>Store model of <c>partner_account</c> (module <c>partner-accounts</c>).</summary>
internal sealed class PartnerAccountStoreModel : IHubStoreModel
{
    public string Module => "partner-accounts";

    public void Configure(ModelBuilder model) => model.Entity<PartnerAccount>(e =>
    {
        e.ToTable("partner_account");
        e.HasKey(p => p.Id);
        e.HasIndex(p => new { p.Kind, p.Name }).IsUnique();
        e.Property(p => p.Id).HasMaxLength(81);
        e.Property(p => p.Kind).HasMaxLength(16);
        e.Property(p => p.Name).HasMaxLength(64);
        e.Property(p => p.Username).HasMaxLength(128);
        e.Property(p => p.Scopes).HasMaxLength(1000);
        e.Property(p => p.SecretSetBy).HasMaxLength(128);
        e.Property(p => p.Secret).IsEncrypted().NotInHistory();
        e.Property(p => p.SecretHash).HasMaxLength(200).NotInHistory();
        e.Property(p => p.AllowedNetworks).HasMaxLength(2000);
        e.Ignore(p => p.ScopeList);
        e.Ignore(p => p.NetworkList);
        e.KeepsHistory();
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("partner-accounts", 1, "create partner_account", m =>
        {
            m.CreateTable("partner_account", t => new
            {
                Id = t.Column<string>(maxLength: 81, nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Username = t.Column<string>(maxLength: 128, nullable: true),
                Secret = t.Column<string>(nullable: true),
                SecretHash = t.Column<string>(maxLength: 200, nullable: true),
                Scopes = t.Column<string>(maxLength: 1000, nullable: false),
                Disabled = t.Column<bool>(nullable: false),
                SecretChangedAt = t.Column<DateTime>(nullable: false),
                SecretSetBy = t.Column<string>(maxLength: 128, nullable: false),
            }, constraints: t => t.PrimaryKey("pk_partner_account", x => x.Id));
            m.CreateIndex("ix_partner_account_kind_name", "partner_account", ["Kind", "Name"], unique: true);
        }),
        new("partner-accounts", 2, "partner_account.AllowedNetworks (IP lock per partner)", m =>
            m.AddColumn<string>("AllowedNetworks", "partner_account", maxLength: 2000, nullable: false, defaultValue: "")),
    ];
}
