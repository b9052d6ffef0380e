using Hub.Persistence;
using Hub.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace Hub.Infrastructure.Access;

/// <summary>A role held by a member of staff (table <c>staff_role</c>; every grant and revocation is a recorded change).</summary>
public sealed class StaffRoleAssignment
{
    /// <summary>The staff member: a mobile user id or an operations user name (one name is one person).</summary>
    public string StaffId { get; set; } = "";
    /// <summary>A role of <see cref="StaffRoleCatalog"/>.</summary>
    public string Role { get; set; } = "";
    /// <summary>Who granted it; <c>configuration</c> for roles given at start.</summary>
    public string GrantedBy { get; set; } = "";
    /// <summary>When (UTC).</summary>
    public DateTime GrantedAt { get; set; }
}

/// <summary>
/// Permissions a member of staff lends to a deputy (table <c>staff_delegation</c>): the deputy uses them with the
/// delegator's scope, until <see cref="UntilTicks"/> when temporary, or until revoked.
/// </summary>
public sealed class StaffDelegation
{
    public Guid Id { get; set; }
    /// <summary>Who lends.</summary>
    public string DelegatorId { get; set; } = "";
    /// <summary>Who acts for them.</summary>
    public string DeputyId { get; set; } = "";
    /// <summary>The permissions lent, space-separated (each held by the delegator when lent, and used only while still held).</summary>
    public string Permissions { get; set; } = "";
    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>End of a temporary delegation (UTC ticks); null until revoked.</summary>
    public long? UntilTicks { get; set; }
    /// <summary>When it was revoked (UTC ticks); null while not.</summary>
    public long? RevokedAtTicks { get; set; }
    /// <summary>Why (e.g. "travelling 1–5 Dec").</summary>
    public string? Reason { get; set; }

    /// <summary>The permissions as a list.</summary>
    public string[] PermissionList => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the deputy may use it at <paramref name="nowTicks"/>.</summary>
    public bool IsActive(long nowTicks) => RevokedAtTicks is null && (UntilTicks is null || UntilTicks > nowTicks);
}

/// <summary>The roles and delegations of staff, as stored.</summary>
public static class StaffAuthority
{
    /// <summary>Granted-by of roles given by configuration at start.</summary>
    public const string Configuration = "configuration";

    /// <summary>The roles <paramref name="staffId"/> holds.</summary>
    public static Task<List<string>> RolesOfAsync(HubDbContext db, string staffId, CancellationToken ct) =>
        db.Set<StaffRoleAssignment>().AsNoTracking().Where(a => a.StaffId == staffId).OrderBy(a => a.Role).Select(a => a.Role).ToListAsync(ct);

    /// <summary>Delegations to <paramref name="deputyId"/> in force at <paramref name="now"/> (an expired one is left out at once).</summary>
    public static Task<List<StaffDelegation>> ActiveDelegationsToAsync(HubDbContext db, string deputyId, DateTimeOffset now, CancellationToken ct)
    {
        var ticks = now.UtcTicks;
        return db.Set<StaffDelegation>().AsNoTracking()
            .Where(d => d.DeputyId == deputyId && d.RevokedAtTicks == null && (d.UntilTicks == null || d.UntilTicks > ticks))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The grants of <paramref name="member"/> at <paramref name="now"/>: each permission of each role they hold, reaching
    /// from themself; each permission delegated to them (not expired, not revoked, still held by the delegator through a
    /// role of theirs, the delegator's account enabled), reaching from the delegator with the delegator's widest scope of it.
    /// </summary>
    public static async Task<List<PermissionGrant>> GrantsOfAsync(HubDbContext db, StaffRoleCatalog catalog, StaffMember member, DateTimeOffset now,
        CancellationToken ct)
    {
        var grants = OwnGrants(catalog, await RolesOfAsync(db, member.UserId, ct), member).ToList();
        var delegations = await ActiveDelegationsToAsync(db, member.UserId, now, ct);
        if (delegations.Count == 0)
            return grants;
        var delegatorIds = delegations.Select(d => d.DelegatorId).Distinct().ToArray();
        var roles = await db.Set<StaffRoleAssignment>().AsNoTracking().Where(a => delegatorIds.Contains(a.StaffId)).ToListAsync(ct);
        foreach (var delegatorId in delegatorIds)
        {
            if (await StaffMembers.FindAsync(db, delegatorId, ct) is not { Suspended: false } delegator)
                continue;
            // Only what the delegator holds by their own roles is lent: a deputy cannot pass on what was lent to them.
            var held = OwnGrants(catalog, roles.Where(r => r.StaffId == delegator.UserId).Select(r => r.Role), delegator).ToList();
            foreach (var delegation in delegations.Where(d => d.DelegatorId == delegator.UserId))
                grants.AddRange(held.Where(g => delegation.PermissionList.Contains(g.Permission))
                    .Select(g => g with { DelegatedBy = delegator.UserId, Until = delegation.UntilTicks }));
        }
        return grants;
    }

    /// <summary>The widest scope <paramref name="roles"/> give each permission, reaching from <paramref name="member"/>.</summary>
    public static IEnumerable<PermissionGrant> OwnGrants(StaffRoleCatalog catalog, IEnumerable<string> roles, StaffMember member) =>
        roles.SelectMany(r => catalog.PermissionsOf(r))
            .GroupBy(p => p.Key, p => p.Value)
            .Select(g => new PermissionGrant(g.Key, g.Max(), member.UserId, member.Office, member.Region));

    /// <summary>Gives <paramref name="role"/> to <paramref name="staffId"/> unless held; true when it was added.</summary>
    public static async Task<bool> GrantAsync(HubDbContext db, string staffId, string role, string grantedBy, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Set<StaffRoleAssignment>().AnyAsync(a => a.StaffId == staffId && a.Role == role, ct))
            return false;
        var assignment = db.Add(new StaffRoleAssignment { StaffId = staffId, Role = role, GrantedBy = grantedBy, GrantedAt = now.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException conflict) when (HubStoreConflicts.IsUniqueViolation(conflict))
        {
            // Granted at the same moment elsewhere (two instances seeding at start): held either way; anything else is thrown on.
            assignment.State = EntityState.Detached;
            if (!await db.Set<StaffRoleAssignment>().AsNoTracking().AnyAsync(a => a.StaffId == staffId && a.Role == role, ct))
                throw;
            return false;
        }
    }
}

/// <summary>Store model of roles and delegations (module <c>staff-authority</c>); both keep their history.</summary>
internal sealed class StaffAuthorityStoreModel : IHubStoreModel
{
    public string Module => "staff-authority";

    public void Configure(ModelBuilder model)
    {
        model.Entity<StaffRoleAssignment>(e =>
        {
            e.ToTable("staff_role");
            e.HasKey(a => new { a.StaffId, a.Role });
            e.Property(a => a.StaffId).HasMaxLength(128);
            e.Property(a => a.Role).HasMaxLength(64);
            e.Property(a => a.GrantedBy).HasMaxLength(128);
            e.KeepsHistory();
        });
        model.Entity<StaffDelegation>(e =>
        {
            e.ToTable("staff_delegation");
            e.HasKey(d => d.Id);
            e.Property(d => d.DelegatorId).HasMaxLength(128);
            e.Property(d => d.DeputyId).HasMaxLength(128);
            e.Property(d => d.Permissions).HasMaxLength(1000);
            e.Property(d => d.Reason).HasMaxLength(500);
            e.Ignore(d => d.PermissionList);
            e.HasIndex(d => d.DeputyId);
            e.HasIndex(d => d.DelegatorId);
            e.KeepsHistory();
        });
    }

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("staff-authority", 1, "create staff_role and staff_delegation", m =>
        {
            m.CreateTable("staff_role", t => new
            {
                StaffId = t.Column<string>(maxLength: 128, nullable: false),
                Role = t.Column<string>(maxLength: 64, nullable: false),
                GrantedBy = t.Column<string>(maxLength: 128, nullable: false),
                GrantedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_staff_role", x => new { x.StaffId, x.Role }));
            m.CreateTable("staff_delegation", t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DelegatorId = t.Column<string>(maxLength: 128, nullable: false),
                DeputyId = t.Column<string>(maxLength: 128, nullable: false),
                Permissions = t.Column<string>(maxLength: 1000, nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UntilTicks = t.Column<long>(nullable: true),
                RevokedAtTicks = t.Column<long>(nullable: true),
                Reason = t.Column<string>(maxLength: 500, nullable: true),
            }, constraints: t => t.PrimaryKey("pk_staff_delegation", x => x.Id));
            m.CreateIndex("ix_staff_delegation_deputy", "staff_delegation", "DeputyId");
            m.CreateIndex("ix_staff_delegation_delegator", "staff_delegation", "DelegatorId");
        }),
    ];
}
