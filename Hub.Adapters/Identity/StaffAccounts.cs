using System.Security.Cryptography;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>Body of a new staff account (operations: <c>POST /ops/api/staff</c>; mobile: <c>POST /api/v1/staff</c>).</summary>
public sealed record StaffAccountRequest(string? Name, string? DisplayName, string? Office, string? Region, string? Phone, string? Role, string? Password);

/// <summary>Body of a password reset by an administrator.</summary>
public sealed record PasswordResetRequest(string? Password);

/// <summary>Body of one's own password change: the current password proves it is the holder.</summary>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

/// <summary>A staff account as administrators see it: never the digest.</summary>
public sealed record StaffAccountView(string Name, string DisplayName, string Office, string Region, string Phone, string[] Roles, bool Enabled,
    DateTime? LockedUntil, DateTime? PasswordChangedAt, string? PasswordSetBy);

/// <summary>
/// The one store of staff accounts (<see cref="MobileUser"/>, table <c>mobile_user</c>): creating, enabling and disabling
/// accounts and setting passwords, the same for the operations view and the mobile API. Every change is a recorded change
/// in <c>hub_entity_change</c> (named <c>created</c>, <c>disabled</c>, <c>enabled</c>, <c>password-reset</c>,
/// <c>password-changed</c>), never with the digest.
/// </summary>
public static class StaffAccounts
{
    /// <summary>Who set a password that configuration gave (the start-up import may renew only those).</summary>
    public const string Configuration = StaffAuthority.Configuration;

    /// <summary>Shortest password a member of staff may choose.</summary>
    public const int MinimumPasswordLength = 10;

    /// <summary>Names that cannot be account names, as routes use them for the caller.</summary>
    private static readonly string[] Reserved = ["me"];

    /// <summary>Why <paramref name="password"/> may not be <paramref name="name"/>'s new password (field <paramref name="field"/>), or nothing.</summary>
    public static Dictionary<string, string[]> PasswordProblems(string name, string? password, string field = "password")
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength || password.Length > 256)
            errors[field] = [$"{field} needs {MinimumPasswordLength} to 256 characters."];
        else if (string.Equals(password.Trim(), name, StringComparison.OrdinalIgnoreCase))
            errors[field] = [$"{field} may not be the account name."];
        return errors;
    }

    /// <summary>Field errors of a new account's request; empty when it may be created (the role's grant right is checked by the caller).</summary>
    public static Dictionary<string, string[]> Problems(StaffAccountRequest request, StaffRoleCatalog catalog)
    {
        var errors = PasswordProblems(request.Name ?? "", request.Password);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 64 || request.Name.Trim() != request.Name
            || request.Name.Any(c => char.IsControl(c) || c is '/' or '|') || Reserved.Contains(request.Name, StringComparer.OrdinalIgnoreCase))
            errors["name"] = ["name needs 1 to 64 characters without spaces around, '/' or '|' (and is not 'me')."];
        if (request.DisplayName is { Length: > 100 }) errors["displayName"] = ["displayName has at most 100 characters."];
        if (request.Office is { Length: > 64 }) errors["office"] = ["office has at most 64 characters."];
        if (request.Region is { Length: > 64 }) errors["region"] = ["region has at most 64 characters."];
        if (request.Phone is { Length: > 32 } || (request.Phone is { Length: > 0 } phone && !phone.All(c => char.IsAsciiDigit(c) || c == '+')))
            errors["phone"] = ["phone is digits (a leading '+' allowed), at most 32; leave it out for staff who do not sign in from a phone."];
        if (string.IsNullOrWhiteSpace(request.Role) || !catalog.Roles.ContainsKey(request.Role))
            errors["role"] = [$"role is one of {string.Join(", ", catalog.Roles.Keys.Order())}."];
        return errors;
    }

    /// <summary>The account named <paramref name="name"/> (tracked, for a change), or null.</summary>
    public static Task<MobileUser?> FindAsync(HubDbContext db, string name, CancellationToken ct) =>
        db.Set<MobileUser>().FirstOrDefaultAsync(u => u.UserId == name, ct);

    /// <summary>Creates the account of a valid <paramref name="request"/> and grants its role; false when the name is taken.</summary>
    public static async Task<bool> CreateAsync(HubDbContext db, StaffAccountRequest request, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Set<MobileUser>().AnyAsync(u => u.UserId == request.Name, ct))
            return false;
        var user = new MobileUser
        {
            UserId = request.Name!, DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.Name! : request.DisplayName.Trim(),
            Role = request.Role!, Office = request.Office?.Trim() ?? "", Region = request.Region?.Trim() ?? "", Phone = request.Phone ?? "",
            PasswordHash = PasswordDigest.Hash(request.Password!), PasswordChangedAt = now.UtcDateTime, PasswordSetBy = actor,
        };
        db.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException conflict) when (HubStoreConflicts.IsUniqueViolation(conflict))
        {
            // Created at the same moment by another call: the name is taken. Any other failure is thrown on.
            db.Entry(user).State = EntityState.Detached;
            return false;
        }
        await StaffAuthority.GrantAsync(db, user.UserId, user.Role, actor, now, ct);
        return true;
    }

    /// <summary>Enables or disables <paramref name="user"/> (a disabled account signs in nowhere; its phones are told to wipe).</summary>
    public static async Task SetEnabledAsync(HubDbContext db, MobileUser user, bool enabled, string actor, CancellationToken ct)
    {
        if (user.Suspended == !enabled)
            return;
        user.Suspended = !enabled;
        await AccountChanges.SaveEnabledAsync(db, enabled, actor, ct);
    }

    /// <summary>
    /// Sets <paramref name="user"/>'s password (checked against the policy by the caller) and ends a lockout; the change is
    /// recorded as <paramref name="operation"/> by <paramref name="actor"/>, with the moment and never the digest.
    /// </summary>
    public static async Task SetPasswordAsync(HubDbContext db, MobileUser user, string password, string actor, string operation, DateTimeOffset now,
        CancellationToken ct)
    {
        user.PasswordHash = PasswordDigest.Hash(password);
        user.PasswordChangedAt = now.UtcDateTime;
        user.PasswordSetBy = actor;
        user.FailedLogins = 0;
        user.LockedUntilTicks = 0;
        db.NameNextChange(operation, $"password set by {actor}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How administrators see <paramref name="user"/>.</summary>
    public static async Task<StaffAccountView> ViewAsync(HubDbContext db, MobileUser user, DateTimeOffset now, CancellationToken ct) => new(
        user.UserId, user.DisplayName, user.Office, user.Region, user.Phone, [.. await StaffAuthority.RolesOfAsync(db, user.UserId, ct)], !user.Suspended,
        user.LockedUntilTicks > now.UtcTicks ? new DateTime(user.LockedUntilTicks, DateTimeKind.Utc) : null, user.PasswordChangedAt, user.PasswordSetBy);
}

/// <summary>
/// The bootstrap import of staff from configuration, at start after the schema is migrated: each user of
/// <c>Mobile:Users</c> and <c>Ops:Users</c> is created when absent, and their configured role granted. An account's
/// password is renewed from configuration only while it is still the one configuration gave; a password changed in the
/// store (by its holder or an administrator) is never overwritten, nor is anything else of an existing account. Without
/// any <c>Ops:Users</c>, a one-off <c>admin</c> gets a random password, renewed at every start until it is changed in the
/// store (then it is left alone). The password goes into <see cref="OneOffAdminPasswordFile"/> (owner-only), never the log.
/// </summary>
internal sealed class StaffAccountImport(MobileUserDirectory directory, IOptions<MobileIdentityOptions> options, OpsUserDirectory opsUsers,
    IServiceScopeFactory scopes, HubStoreOptions store, TimeProvider clock, ILogger<StaffAccountImport> log) : IHostedService
{
    /// <summary>Name of the one-off operations administrator.</summary>
    public const string OneOffAdmin = "admin";

    /// <summary>The file, beside the store, holding the one-off administrator's password of this run.</summary>
    public const string OneOffAdminPasswordFile = "ops-admin-password.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (userId, seed) in options.Value.Users)
            await directory.ImportAsync(userId, seed, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        foreach (var (name, hash, role) in opsUsers.Configured)
            await ImportOpsUserAsync(db, name, hash, role, cancellationToken);
        if (!opsUsers.Configured.Any())
            await OneOffAdminAsync(db, cancellationToken);
    }

    private async Task ImportOpsUserAsync(HubDbContext db, string name, string hash, string role, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = await StaffAccounts.FindAsync(db, name, ct);
        if (user is null)
            db.Add(new MobileUser
            {
                UserId = name, DisplayName = name, Role = role, PasswordHash = hash, PasswordChangedAt = now.UtcDateTime, PasswordSetBy = StaffAccounts.Configuration,
            });
        else if (user.PasswordSetBy == StaffAccounts.Configuration && user.PasswordHash != hash)
        {
            user.PasswordHash = hash;
            user.PasswordChangedAt = now.UtcDateTime;
        }
        await MobileUserDirectory.SaveImportAsync(db, ct);
        await StaffAuthority.GrantAsync(db, name, role, StaffAuthority.Configuration, now, ct);
    }

    private async Task OneOffAdminAsync(HubDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var admin = await StaffAccounts.FindAsync(db, OneOffAdmin, ct);
        if (admin is not null && admin.PasswordSetBy != StaffAccounts.Configuration)
        {
            log.LogInformation("No Ops:Users configured; the one-off '{Admin}' keeps the password set in the store", OneOffAdmin);
            return;
        }
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-');
        if (admin is null)
            db.Add(admin = new MobileUser { UserId = OneOffAdmin, DisplayName = OneOffAdmin, Role = OpsRoles.Admin });
        admin.PasswordHash = PasswordDigest.Hash(password);
        admin.PasswordChangedAt = now.UtcDateTime;
        admin.PasswordSetBy = StaffAccounts.Configuration;
        await MobileUserDirectory.SaveImportAsync(db, ct);
        await StaffAuthority.GrantAsync(db, OneOffAdmin, OpsRoles.Admin, StaffAuthority.Configuration, now, ct);
        var file = OwnerOnlyFile.BesideStore(store, OneOffAdminPasswordFile);
        OwnerOnlyFile.Write(file, password + Environment.NewLine);
        log.LogWarning("No Ops:Users configured: sign in to /ops as '{Admin}' with the password in {File}, readable by this account only "
            + "(renewed at every start until you change it; create lasting accounts in the operations view or configure "
            + "Ops:Users:<name>:PasswordHash and :Role)", OneOffAdmin, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
