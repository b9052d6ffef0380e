using System.Security.Claims;

namespace Hub.Adapters.Identity;

/// <summary>The signed-in user and device behind a request, read from the token's claims.</summary>
public sealed record MobileCaller(string UserId, string Role, string Office, string Region, string DeviceId)
{
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

    /// <summary>The caller of a request that passed the mobile policy.</summary>
    public static MobileCaller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("The token has no subject."),
        user.FindFirstValue(Claims.Role) ?? "",
        user.FindFirstValue(Claims.Office) ?? "",
        user.FindFirstValue(Claims.Region) ?? "",
        user.FindFirstValue(Claims.Device) ?? "");

    /// <summary>
    /// Data scope (003 数据范围授权): a user sees their own things, an office supervisor everything of
    /// their office, a manager everything of their region.
    /// </summary>
    public bool MaySee(string ownerUserId, string? ownerOffice, string? ownerRegion) =>
        ownerUserId == UserId
        || (Role == MobileRoles.OfficeSupervisor && !string.IsNullOrEmpty(Office) && ownerOffice == Office)
        || (Role == MobileRoles.Manager && !string.IsNullOrEmpty(Region) && ownerRegion == Region);

    /// <summary>
    /// Whether the caller may approve or reject an order owned by <paramref name="ownerUserId"/> (003 §3.4.1 审批): a manager of
    /// the owner's region, and never the owner (four eyes). The one place this rule lives: the approval routes and the choice
    /// of whom to notify both ask it.
    /// </summary>
    public bool MayApproveOrderOf(string ownerUserId, string? ownerRegion) =>
        Role == MobileRoles.Manager
        && !string.Equals(ownerUserId, UserId, StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(Region) && ownerRegion == Region;

    /// <summary>Whether the caller supervises others (may act for users in their scope).</summary>
    public bool IsSupervisor => Role is MobileRoles.OfficeSupervisor or MobileRoles.Manager;
}
