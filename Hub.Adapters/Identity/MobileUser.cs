namespace Hub.Adapters.Identity;

/// <summary>The roles of the mobile CRM's users; each sees a different slice of the data (003 §5.3.1).</summary>
public static class MobileRoles
{
    /// <summary>Sales staff: their own customers and orders.</summary>
    public const string Salesperson = "salesperson";
    /// <summary>Field engineers: the tickets and field work orders assigned to them.</summary>
    public const string Engineer = "engineer";
    /// <summary>Office supervisors: everything of their office.</summary>
    public const string OfficeSupervisor = "office-supervisor";
    /// <summary>Managers: everything of their region, and approvals.</summary>
    public const string Manager = "manager";

    /// <summary>Every role, for validation.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>([Salesperson, Engineer, OfficeSupervisor, Manager]);
}

/// <summary>
/// A member of staff: the one staff account store (table <c>mobile_user</c>, named after its first users) for sales,
/// call-centre agents, office supervisors, engineers, managers and operations alike. A phone number lets the account
/// sign in from a phone (bound to one device); every account may sign in to the operations view, where its roles decide
/// what it sees. Each change but the password digest and the failed-login count is recorded in <c>hub_entity_change</c>.
/// </summary>
public sealed class MobileUser
{
    /// <summary>Login name, also the owner id on orders and tickets.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Name shown in the apps.</summary>
    public string DisplayName { get; set; } = "";
    /// <summary>One of <see cref="MobileRoles"/>.</summary>
    public string Role { get; set; } = MobileRoles.Salesperson;
    /// <summary>Office the user belongs to (data scope of an office supervisor).</summary>
    public string Office { get; set; } = "";
    /// <summary>Region the user belongs to (data scope of a manager).</summary>
    public string Region { get; set; } = "";
    /// <summary>
    /// The one phone number trusted for this user (003 §5.5.1): a login from another number is refused. Empty for staff
    /// who never sign in from a phone (operations). Sealed at rest.
    /// </summary>
    public string Phone { get; set; } = "";
    /// <summary>PBKDF2 hash, never the password (003 §5.5.3).</summary>
    public string PasswordHash { get; set; } = "";
    /// <summary>Wrong passwords in a row; the account locks at the configured limit (003 §5.5.4).</summary>
    public int FailedLogins { get; set; }
    /// <summary>UTC ticks until which logins are refused after too many wrong passwords; 0 when not locked.</summary>
    public long LockedUntilTicks { get; set; }
    /// <summary>A suspended user cannot sign in and every device of theirs is refused (停用锁止).</summary>
    public bool Suspended { get; set; }
    /// <summary>When the password was last set (UTC); null for accounts from before the store kept it.</summary>
    public DateTime? PasswordChangedAt { get; set; }
    /// <summary>
    /// Who set the password: <see cref="StaffAccounts.Configuration"/> while it is the one configuration gives (the start-up
    /// import may renew it), else the member of staff or administrator who changed it (the import never overwrites it).
    /// </summary>
    public string? PasswordSetBy { get; set; }
}
