using Hub.Infrastructure.Access;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Identity;

/// <summary>Creates and updates staff accounts from code and configuration (tools, tests, the start-up import).</summary>
public sealed class MobileUserDirectory(IServiceScopeFactory scopes, StaffRoleCatalog catalog, StaffGrantsCache grants, TimeProvider clock)
{
    /// <summary>Creates <paramref name="userId"/> or updates its profile and password (tools and tests; configuration goes through <see cref="ImportAsync"/>).</summary>
    public Task UpsertAsync(string userId, MobileUserSeed seed, CancellationToken ct = default) => SaveAsync(userId, seed, overwrite: true, ct);

    /// <summary>
    /// The bootstrap import of one <c>Mobile:Users</c> entry: creates the account when absent; of an existing one, renews
    /// only the password, and only while it is still the one configuration gave (never one changed in the store).
    /// </summary>
    public Task ImportAsync(string userId, MobileUserSeed seed, CancellationToken ct = default) => SaveAsync(userId, seed, overwrite: false, ct);

    private async Task SaveAsync(string userId, MobileUserSeed seed, bool overwrite, CancellationToken ct)
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
        var created = user is null;
        if (user is null)
            db.Add(user = new MobileUser { UserId = userId });
        if (created || overwrite)
        {
            user.DisplayName = seed.DisplayName ?? userId;
            user.Role = seed.Role;
            user.Office = seed.Office;
            user.Region = seed.Region;
            user.Phone = seed.Phone;
        }
        // Verifying first keeps an unchanged configured password from being hashed (and recorded as changed) at every start.
        if (created || overwrite || (user.PasswordSetBy == StaffAccounts.Configuration && !PasswordDigest.Verify(seed.Password, user.PasswordHash)))
        {
            user.PasswordHash = PasswordDigest.Hash(seed.Password);
            user.PasswordChangedAt = clock.GetUtcNow().UtcDateTime;
            user.PasswordSetBy = StaffAccounts.Configuration;
        }
        await SaveImportAsync(db, ct);
        // The role is held in the one store of staff roles; Role on the user stays as the role they were created with.
        await StaffAuthority.GrantAsync(db, userId, seed.Role, StaffAuthority.Configuration, clock.GetUtcNow(), ct);
        grants.Forget();
    }

    /// <summary>Saves an import; an account created at the same moment by another instance starting is left as that one made it.</summary>
    internal static async Task SaveImportAsync(HubDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException conflict) when (HubStoreConflicts.IsUniqueViolation(conflict)
                                                 && db.ChangeTracker.Entries<MobileUser>().Any(e => e.State == EntityState.Added))
        {
            foreach (var entry in db.ChangeTracker.Entries<MobileUser>().ToList())
                entry.State = EntityState.Detached;
        }
    }
}
