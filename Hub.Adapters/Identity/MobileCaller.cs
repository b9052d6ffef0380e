using System.Security.Claims;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Identity;

/// <summary>
/// The signed-in user and device behind a request, read from the token's claims, with the permissions they may use
/// now (their roles' and those delegated to them, loaded from the store on every call). The one place that answers
/// "may I do P on a record of X" (003 §4.4.2): every scope check of the mobile API asks it.
/// </summary>
public sealed record MobileCaller(string UserId, string Role, string Office, string Region, string DeviceId)
{
    private IReadOnlyList<PermissionGrant>? _grants;

    /// <summary>
    /// The permissions the caller may use: those of the request's principal, or for a caller made in code (tools, tests)
    /// those of <see cref="Role"/> by the default role definitions.
    /// </summary>
    public IReadOnlyList<PermissionGrant> Grants
    {
        get => _grants ??= StaffRoleCatalog.Default.PermissionsOf(Role)
            .Select(p => new PermissionGrant(p.Key, p.Value, UserId, Office, Region)).ToArray();
        init => _grants = value;
    }

    /// <summary>Claim names the hub's tokens carry.</summary>
    public static class Claims
    {
        public const string Subject = "sub";
        public const string Name = "name";
        public const string Role = "role";
        public const string Office = "office";
        public const string Region = "region";
        public const string Phone = "phone";
        public const string Device = "did";
    }

    /// <summary>The caller of a request that passed the mobile policy (grants added by the device check of every call).</summary>
    public static MobileCaller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("The token has no subject."),
        user.FindFirstValue(Claims.Role) ?? "",
        user.FindFirstValue(Claims.Office) ?? "",
        user.FindFirstValue(Claims.Region) ?? "",
        user.FindFirstValue(Claims.Device) ?? "")
    {
        Grants = user.FindAll(PermissionGrant.ClaimType).Select(c => PermissionGrant.FromClaimValue(c.Value)).ToArray(),
    };

    /// <summary>Whether the caller holds <paramref name="permission"/> at any scope (by role or delegation).</summary>
    public bool May(string permission) => Grants.Any(g => g.Permission == permission);

    /// <summary>
    /// Whether the caller may do <paramref name="permission"/> on a record owned by <paramref name="ownerUserId"/> of
    /// that office and region: one of their grants of it reaches the record, measured from its anchor (a deputy's from
    /// the delegator).
    /// </summary>
    public bool May(string permission, string ownerUserId, string? ownerOffice, string? ownerRegion) =>
        Grants.Any(g => g.Permission == permission && g.Covers(ownerUserId, ownerOffice, ownerRegion));

    /// <summary>Whether the caller may see <paramref name="field"/> (and filter or sort by it): the catalogue's permission, at any scope.</summary>
    public bool MaySee(SensitiveField field) => May(field.Permission);

    /// <summary>The fields of <paramref name="entity"/> the caller may not see (<see cref="SensitiveFields"/>; empty: all).</summary>
    public IReadOnlySet<string> HiddenFields(string entity) => SensitiveFields.HiddenFrom(entity, May);

    /// <summary>Where <paramref name="permission"/> reaches, as values for a query's filter (nothing when not held).</summary>
    public ScopeFilter ScopeOf(string permission) => ScopeFilter.Of(Grants.Where(g => g.Permission == permission));

    /// <summary>
    /// Whether the caller may approve or reject an order owned by <paramref name="ownerUserId"/> (003 §3.4.1 审批): holding
    /// <c>orders.approve</c> (own or delegated) over the owner's region, and never the owner (four eyes). The one place this
    /// rule lives: the approval routes and the choice of whom to notify both ask it.
    /// </summary>
    public bool MayApproveOrderOf(string ownerUserId, string? ownerRegion) =>
        !string.Equals(ownerUserId, UserId, StringComparison.OrdinalIgnoreCase)
        && May(StaffPermissions.OrdersApprove, ownerUserId, null, ownerRegion);

    /// <summary>
    /// Whether the caller may approve or reject an agency contract of a dealer of <paramref name="dealerRegion"/> (003 §3.2 代理审核):
    /// <c>contracts.approve</c> (own or delegated) over that region. Whoever submitted it is refused by the domain (four eyes).
    /// </summary>
    public bool MayDecideContractOf(string? dealerRegion) =>
        !string.IsNullOrEmpty(dealerRegion) && May(StaffPermissions.ContractsApprove, "", null, dealerRegion);

    /// <summary>
    /// The grant behind the caller's right to decide a contract of <paramref name="dealerRegion"/>: their own when they have one,
    /// else one delegated to them (whose <see cref="PermissionGrant.DelegatedBy"/> they decide for); null when neither.
    /// </summary>
    public PermissionGrant? ContractDecisionGrant(string? dealerRegion) => string.IsNullOrEmpty(dealerRegion) ? null
        : Grants.Where(g => g.Permission == StaffPermissions.ContractsApprove && g.Covers("", null, dealerRegion))
            .OrderBy(g => g.DelegatedBy is null ? 0 : 1).FirstOrDefault();
}
