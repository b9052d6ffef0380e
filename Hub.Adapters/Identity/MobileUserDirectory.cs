using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>Creates and updates mobile users; used by the start-up seeding and by operations.</summary>
public sealed class MobileUserDirectory(IServiceScopeFactory scopes, StaffRoleCatalog catalog, StaffGrantsCache grants, TimeProvider clock)
{
    /// <summary>Creates <paramref name="userId"/> or updates its profile and password.</summary>
    public async Task UpsertAsync(string userId, MobileUserSeed seed, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 64)
            throw new ArgumentException("A user id of 1 to 64 characters is required.", nameof(userId));
        if (!catalog.Roles.ContainsKey(seed.Role))
            throw new ArgumentException($"Role '{seed.Role}' of {userId} is not one of {string.Join(", ", catalog.Roles.Keys)}.", nameof(seed));
        if (string.IsNullOrWhiteSpace(seed.Phone) || seed.Password.Length < 8)
            throw new ArgumentException($"User {userId} needs a phone number and a password of at least 8 characters.", nameof(seed));

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var user = await db.Set<MobileUser>().FirstOrDefaultAsync(u => u.UserId == userId, ct);
        if (user is null)
            db.Add(user = new MobileUser { UserId = userId });
        user.DisplayName = seed.DisplayName ?? userId;
        user.Role = seed.Role;
        user.Office = seed.Office;
        user.Region = seed.Region;
        user.Phone = seed.Phone;
        user.PasswordHash = PasswordDigest.Hash(seed.Password);
        await db.SaveChangesAsync(ct);
        // The role is held in the one store of staff roles; Role on the user stays as the role they were created with.
        await StaffAuthority.GrantAsync(db, userId, seed.Role, StaffAuthority.Configuration, clock.GetUtcNow(), ct);
        grants.Forget();
    }
}

/// <summary>
/// Creates the users of <c>Mobile:Users</c> at start, after the schema is migrated, and grants the operations users of
/// <c>Ops:Users</c> their configured role in the same store of staff roles.
/// </summary>
internal sealed class MobileUserSeeding(MobileUserDirectory directory, IOptions<MobileIdentityOptions> options, OpsUserDirectory opsUsers,
    IServiceScopeFactory scopes, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (userId, seed) in options.Value.Users)
            await directory.UpsertAsync(userId, seed, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        foreach (var (name, role) in opsUsers.Configured)
            await StaffAuthority.GrantAsync(db, name, role, StaffAuthority.Configuration, clock.GetUtcNow(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
