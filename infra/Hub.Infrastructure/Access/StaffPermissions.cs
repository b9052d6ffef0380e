using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hub.Infrastructure.Access;

/// <summary>
/// How much data a permission reaches (003 §4.4.2 数据范围授权); each includes the ones before it: a holder's own
/// records, their office's, their region's, everything.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataScope>))]
public enum DataScope
{
    /// <summary>The holder's own records (owner, opener, assignee).</summary>
    Own = 0,
    /// <summary>Also the records of staff of the holder's office.</summary>
    Office = 1,
    /// <summary>Also the records of staff of the holder's region.</summary>
    Region = 2,
    /// <summary>Every record.</summary>
    All = 3,
}

/// <summary>The operations staff may be allowed to do (003 §4.4.5 功能权限); a role is a set of them, each with a <see cref="DataScope"/>.</summary>
public static class StaffPermissions
{
    /// <summary>See customers, their contacts, history and timeline.</summary>
    public const string CustomersRead = "customers.read";
    /// <summary>Create and change customers and contacts.</summary>
    public const string CustomersWrite = "customers.write";
    /// <summary>Set a customer's value and credit grade.</summary>
    public const string CustomersGrade = "customers.grade";
    /// <summary>See a customer's credit grade and search by it (<see cref="SensitiveFields"/>).</summary>
    public const string CustomersCredit = "customers.credit";
    /// <summary>See a customer's bank account and registration (ID) number (<see cref="SensitiveFields"/>).</summary>
    public const string CustomersBank = "customers.bank";
    /// <summary>Hand a customer to another salesperson (in scope).</summary>
    public const string CustomersAssign = "customers.assign";
    /// <summary>Restore a customer to a past version.</summary>
    public const string CustomersRestore = "customers.restore";
    /// <summary>See orders.</summary>
    public const string OrdersRead = "orders.read";
    /// <summary>Place an order owned by someone (in scope: one's own, or for staff of one's office or region).</summary>
    public const string OrdersPlace = "orders.place";
    /// <summary>Approve or reject an order above the threshold.</summary>
    public const string OrdersApprove = "orders.approve";
    /// <summary>Pass or refuse the audit (稽核) of an order waiting for it (the manual audit step, <c>Orders:Audit:Manual</c>).</summary>
    public const string OrdersAudit = "orders.audit";
    /// <summary>Approve a dealer's agency contract.</summary>
    public const string ContractsApprove = "contracts.approve";

    /// <summary>
    /// The permission an <c>ApprovalRequested</c> of <paramref name="kind"/> is decided with: <c>contracts.approve</c> for an agency
    /// contract, <c>orders.approve</c> for orders and discounts (the push and the email/SMS check the recipient holds it).
    /// </summary>
    public static string ForApprovalOf(string kind) => kind is "agency-contract" or "contract" ? ContractsApprove : OrdersApprove;
    /// <summary>See service tickets and field work orders.</summary>
    public const string TicketsRead = "tickets.read";
    /// <summary>Set a dealer's annual and monthly targets (the channel department agrees them with the dealer).</summary>
    public const string DealersTargets = "dealers.targets";
    /// <summary>See the commercial terms of agency contracts and the commission rates (003 §3.2.3).</summary>
    public const string DealersTerms = "dealers.terms";
    /// <summary>Pass a reviewed ticket to a service office.</summary>
    public const string TicketsDispatch = "tickets.dispatch";
    /// <summary>Issue a ticket's field work order to an engineer of the office.</summary>
    public const string TicketsAssign = "tickets.assign";
    /// <summary>Carry out field work orders (who may be assigned one).</summary>
    public const string FieldWork = "fieldwork.perform";
    /// <summary>Change the product catalogue and the price book.</summary>
    public const string ProductsManage = "products.manage";
    /// <summary>See price floors: a quotation's floor and the price book's floor rules (<see cref="SensitiveFields"/>).</summary>
    public const string ProductsFloor = "products.floor";
    /// <summary>See staff's bound devices and disable one.</summary>
    public const string DevicesDisable = "devices.disable";
    /// <summary>Create staff accounts, disable and enable them, reset their passwords (in scope; never an account holding more than oneself).</summary>
    public const string StaffManage = "staff.manage";
    /// <summary>Grant and revoke roles (never beyond what the granter holds).</summary>
    public const string RolesGrant = "roles.grant";
    /// <summary>Operations view: see flows, failures, sagas, endpoints.</summary>
    public const string OpsRead = "ops.read";
    /// <summary>Operations view: retry, edit, archive failed messages; notifications and campaigns.</summary>
    public const string OpsRetry = "ops.retry";
    /// <summary>Operations view: purge, sign-in history.</summary>
    public const string OpsAdminister = "ops.admin";

    /// <summary>Every permission, for validation of role definitions.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CustomersRead, CustomersWrite, CustomersGrade, CustomersCredit, CustomersBank, CustomersAssign, CustomersRestore, OrdersRead, OrdersPlace, OrdersApprove, OrdersAudit,
        ContractsApprove, DealersTargets, DealersTerms, TicketsRead, TicketsDispatch, TicketsAssign, FieldWork, ProductsManage, ProductsFloor, DevicesDisable, StaffManage,
        RolesGrant,
        OpsRead, OpsRetry, OpsAdminister,
    };
}

/// <summary>One role: the permissions it carries, each with its data scope (<c>Access:Roles:&lt;role&gt;</c>).</summary>
public sealed class StaffRoleDefinition
{
    /// <summary>What the role is for, shown to whoever grants it.</summary>
    public string Description { get; set; } = "";

    /// <summary><c>Permissions:&lt;permission&gt;=&lt;Own|Office|Region|All&gt;</c>.</summary>
    public Dictionary<string, DataScope> Permissions { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Role definitions (section <c>Access</c>); a role configured here replaces its default entirely.</summary>
public sealed class StaffRolesOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Access";

    /// <summary><c>Access:Roles:&lt;role&gt;</c>.</summary>
    public Dictionary<string, StaffRoleDefinition> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>Access:GrantCacheDuration</c>: how long a web host reuses a mobile user's roles and delegations between calls (zero: read on
    /// every call). Changes made through the same host apply at once; those made elsewhere within this bound.
    /// </summary>
    public TimeSpan GrantCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The default roles, the ones the mobile app and the operations view had before roles were configurable:
    /// salesperson, engineer, office supervisor, manager (003 §5.3.1) and the operations reader, operator, admin.
    /// </summary>
    public static IReadOnlyDictionary<string, StaffRoleDefinition> Defaults { get; } = new Dictionary<string, StaffRoleDefinition>(StringComparer.Ordinal)
    {
        ["salesperson"] = Role("Sales staff: their own customers, orders and tickets.",
            (StaffPermissions.CustomersRead, DataScope.Own), (StaffPermissions.CustomersWrite, DataScope.Own), (StaffPermissions.CustomersGrade, DataScope.Own),
            (StaffPermissions.OrdersRead, DataScope.Own), (StaffPermissions.OrdersPlace, DataScope.Own), (StaffPermissions.TicketsRead, DataScope.Own)),
        ["engineer"] = Role("Field engineers: the tickets and field work orders issued to them.",
            (StaffPermissions.CustomersRead, DataScope.Own), (StaffPermissions.CustomersWrite, DataScope.Own), (StaffPermissions.CustomersGrade, DataScope.Own),
            (StaffPermissions.OrdersRead, DataScope.Own), (StaffPermissions.OrdersPlace, DataScope.Own), (StaffPermissions.TicketsRead, DataScope.Own),
            (StaffPermissions.FieldWork, DataScope.Own)),
        ["office-supervisor"] = Role("Office supervisors: everything of their office; dispatch, assign engineers, hand over customers, grant office roles.",
            (StaffPermissions.CustomersRead, DataScope.Office), (StaffPermissions.CustomersWrite, DataScope.Office), (StaffPermissions.CustomersGrade, DataScope.Office),
            (StaffPermissions.CustomersCredit, DataScope.Office), (StaffPermissions.CustomersBank, DataScope.Office), (StaffPermissions.CustomersAssign, DataScope.Office), (StaffPermissions.CustomersRestore, DataScope.Office),
            (StaffPermissions.OrdersRead, DataScope.Office), (StaffPermissions.OrdersPlace, DataScope.Office), (StaffPermissions.TicketsRead, DataScope.Office), (StaffPermissions.TicketsDispatch, DataScope.Office),
            (StaffPermissions.TicketsAssign, DataScope.Office), (StaffPermissions.DevicesDisable, DataScope.Office), (StaffPermissions.RolesGrant, DataScope.Office),
            (StaffPermissions.StaffManage, DataScope.Office),
            (StaffPermissions.DealersTargets, DataScope.Office)),
        ["manager"] = Role("Managers: everything of their region, approvals, the catalogue and price book.",
            (StaffPermissions.CustomersRead, DataScope.Region), (StaffPermissions.CustomersWrite, DataScope.Region), (StaffPermissions.CustomersGrade, DataScope.Region),
            (StaffPermissions.CustomersCredit, DataScope.Region), (StaffPermissions.CustomersBank, DataScope.Region), (StaffPermissions.CustomersAssign, DataScope.Region), (StaffPermissions.CustomersRestore, DataScope.Region),
            (StaffPermissions.OrdersRead, DataScope.Region), (StaffPermissions.OrdersPlace, DataScope.Region), (StaffPermissions.OrdersApprove, DataScope.Region), (StaffPermissions.OrdersAudit, DataScope.Region),
            (StaffPermissions.ContractsApprove, DataScope.Region),
            (StaffPermissions.DealersTargets, DataScope.Region), (StaffPermissions.DealersTerms, DataScope.Region),
            (StaffPermissions.TicketsRead, DataScope.Region), (StaffPermissions.TicketsDispatch, DataScope.Region), (StaffPermissions.ProductsManage, DataScope.All),
            (StaffPermissions.ProductsFloor, DataScope.All),
            (StaffPermissions.DevicesDisable, DataScope.Region), (StaffPermissions.RolesGrant, DataScope.Region), (StaffPermissions.StaffManage, DataScope.Region)),
        [OpsRoles.Reader] = Role("Operations: sees the operations view.", (StaffPermissions.OpsRead, DataScope.All)),
        [OpsRoles.Operator] = Role("Operations: also retries, edits, archives; notifications and campaigns.",
            (StaffPermissions.OpsRead, DataScope.All), (StaffPermissions.OpsRetry, DataScope.All)),
        [OpsRoles.Admin] = Role("Operations: also purges, reads the sign-in history, grants operations roles, keeps staff accounts and partner credentials.",
            (StaffPermissions.OpsRead, DataScope.All), (StaffPermissions.OpsRetry, DataScope.All), (StaffPermissions.OpsAdminister, DataScope.All),
            (StaffPermissions.RolesGrant, DataScope.All), (StaffPermissions.StaffManage, DataScope.All)),
    };

    private static StaffRoleDefinition Role(string description, params (string Permission, DataScope Scope)[] permissions) => new()
    {
        Description = description,
        Permissions = permissions.ToDictionary(p => p.Permission, p => p.Scope, StringComparer.Ordinal),
    };

    /// <summary>Reasons the definitions cannot be used (an unknown permission or scope, an empty role).</summary>
    public IEnumerable<string> Problems() =>
        (GrantCacheDuration < TimeSpan.Zero || GrantCacheDuration > TimeSpan.FromMinutes(5)
            ? ["Access:GrantCacheDuration must be from 00:00:00 (off) to 00:05:00."] : Array.Empty<string>()).Concat(
        Roles.SelectMany(r => r.Value.Permissions.Count == 0
            ? [$"Access:Roles:{r.Key} carries no permission."]
            : r.Value.Permissions.Where(p => !StaffPermissions.All.Contains(p.Key) || !Enum.IsDefined(p.Value))
                .Select(p => $"Access:Roles:{r.Key}:Permissions:{p.Key}={p.Value} is not one of {string.Join(", ", StaffPermissions.All)} with a scope Own, Office, Region or All.")));
}

/// <summary>The role definitions in force: the configured ones and the defaults not configured.</summary>
public sealed class StaffRoleCatalog
{
    /// <summary>The defaults alone (tools and tests that build a caller without a host).</summary>
    public static StaffRoleCatalog Default { get; } = new(new StaffRolesOptions());

    private readonly Dictionary<string, StaffRoleDefinition> _roles;

    public StaffRoleCatalog(StaffRolesOptions options)
    {
        _roles = new(options.Roles, StringComparer.Ordinal);
        foreach (var (name, role) in StaffRolesOptions.Defaults)
            _roles.TryAdd(name, role);
    }

    /// <summary>Every role by name.</summary>
    public IReadOnlyDictionary<string, StaffRoleDefinition> Roles => _roles;

    /// <summary>The permissions of <paramref name="role"/>; none for an unknown role.</summary>
    public IReadOnlyDictionary<string, DataScope> PermissionsOf(string role) =>
        _roles.TryGetValue(role, out var definition) ? definition.Permissions : EmptyPermissions;

    /// <summary>Whether any of <paramref name="roles"/> carries <paramref name="permission"/>.</summary>
    public bool AnyCarries(IEnumerable<string> roles, string permission) => roles.Any(r => PermissionsOf(r).ContainsKey(permission));

    /// <summary>
    /// The permissions of <paramref name="role"/> that <paramref name="held"/> does not cover as widely, as
    /// <c>permission:Scope</c> (empty: the role carries nothing beyond what is held, so it may be granted).
    /// </summary>
    public string[] Beyond(string role, IEnumerable<(string Permission, DataScope Scope)> held)
    {
        var widest = held.GroupBy(h => h.Permission).ToDictionary(g => g.Key, g => g.Max(h => h.Scope), StringComparer.Ordinal);
        return PermissionsOf(role).Where(p => !widest.TryGetValue(p.Key, out var scope) || scope < p.Value)
            .Select(p => $"{p.Key}:{p.Value}").Order(StringComparer.Ordinal).ToArray();
    }

    private static readonly Dictionary<string, DataScope> EmptyPermissions = new(StringComparer.Ordinal);
}

/// <summary>
/// A permission someone may use now: from one of their roles, or delegated to them by <see cref="DelegatedBy"/>; the
/// scope is measured from the anchor (the holder themself, or the delegator: a deputy acts with the delegator's scope).
/// </summary>
/// <param name="Permission">One of <see cref="StaffPermissions"/>.</param>
/// <param name="Scope">How far it reaches from the anchor.</param>
/// <param name="AnchorUserId">Whose "own" records.</param>
/// <param name="AnchorOffice">Whose office.</param>
/// <param name="AnchorRegion">Whose region.</param>
/// <param name="DelegatedBy">The delegator, when delegated.</param>
/// <param name="Until">End of a temporary delegation (UTC ticks), when delegated with an expiry.</param>
public sealed record PermissionGrant(string Permission, DataScope Scope, string AnchorUserId, string AnchorOffice, string AnchorRegion,
    string? DelegatedBy = null, long? Until = null)
{
    /// <summary>Claim type of a grant on a signed-in principal.</summary>
    public const string ClaimType = "hub:grant";

    /// <summary>Whether the grant reaches a record owned by <paramref name="ownerUserId"/> of that office and region.</summary>
    public bool Covers(string ownerUserId, string? ownerOffice, string? ownerRegion) => Scope switch
    {
        DataScope.All => true,
        DataScope.Region => ownerUserId == AnchorUserId || (AnchorRegion.Length > 0 && ownerRegion == AnchorRegion),
        DataScope.Office => ownerUserId == AnchorUserId || (AnchorOffice.Length > 0 && ownerOffice == AnchorOffice),
        _ => ownerUserId == AnchorUserId,
    };

    /// <summary>The grant as a claim value.</summary>
    public string ToClaimValue() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The grant a claim value carries.</summary>
    public static PermissionGrant FromClaimValue(string value) =>
        JsonSerializer.Deserialize<PermissionGrant>(value, JsonOptions) ?? throw new InvalidOperationException("An empty grant claim.");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// Where a permission reaches, as values a query can filter on: records owned by <see cref="Users"/>, or by staff of
/// <see cref="Offices"/> or <see cref="Regions"/>, or everything (<see cref="All"/>). Nothing when the permission is not held.
/// </summary>
public sealed record ScopeFilter(bool All, string[] Users, string[] Offices, string[] Regions)
{
    /// <summary>Whether it reaches nothing.</summary>
    public bool None => !All && Users.Length == 0 && Offices.Length == 0 && Regions.Length == 0;

    /// <summary>The union of <paramref name="grants"/>.</summary>
    public static ScopeFilter Of(IEnumerable<PermissionGrant> grants)
    {
        var list = grants.ToList();
        return new(list.Any(g => g.Scope == DataScope.All),
            list.Select(g => g.AnchorUserId).Distinct().ToArray(),
            list.Where(g => g.Scope == DataScope.Office && g.AnchorOffice.Length > 0).Select(g => g.AnchorOffice).Distinct().ToArray(),
            list.Where(g => g.Scope == DataScope.Region && g.AnchorRegion.Length > 0).Select(g => g.AnchorRegion).Distinct().ToArray());
    }
}
