using Microsoft.Extensions.Configuration;

namespace Hub.Infrastructure.Access;

/// <summary>One operations user as configuration gives it (<c>Ops:Users:&lt;name&gt;</c>), imported into the staff account store at start.</summary>
public sealed class OpsUser
{
    /// <summary>Digest made by <c>dotnet run --project Hub.Adapters -- hash-password</c> (see <see cref="PasswordDigest"/>).</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><c>reader</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = OpsRoles.Reader;
}

/// <summary>The roles of the operations staff; each includes the ones before it.</summary>
public static class OpsRoles
{
    /// <summary>Sees everything.</summary>
    public const string Reader = "reader";
    /// <summary>May also retry, edit and archive failed messages, and start campaigns.</summary>
    public const string Operator = "operator";
    /// <summary>May also purge old records at once, manage staff accounts and partner credentials.</summary>
    public const string Admin = "admin";

    /// <summary>Authorization policy names.</summary>
    public const string CanRead = "ops-reader", CanOperate = "ops-operator", CanAdminister = "ops-admin";

    /// <summary>Policy met by any member of staff signed in to the operations view, whatever their roles (their own password).</summary>
    public const string SignedIn = "ops-signed-in";

    /// <summary>Whether <paramref name="role"/> is one of ours.</summary>
    public static bool IsKnown(string role) => role is Reader or Operator or Admin;
}

/// <summary>
/// The operations users of configuration (<c>Ops:Users</c>), checked at start. They are a bootstrap import: the Adapters
/// host creates each in the staff account store when absent (sign-in checks the store, never this list).
/// </summary>
public sealed class OpsUserDirectory
{
    private readonly Dictionary<string, OpsUser> _users = new(StringComparer.OrdinalIgnoreCase);

    public OpsUserDirectory(IConfiguration configuration)
    {
        foreach (var section in configuration.GetSection("Ops:Users").GetChildren())
        {
            var user = section.Get<OpsUser>() ?? new OpsUser();
            if (!OpsRoles.IsKnown(user.Role) || !PasswordDigest.IsDigest(user.PasswordHash))
                throw new InvalidOperationException($"Ops:Users:{section.Key} needs a PasswordHash from 'hash-password' and a Role of reader, operator or admin.");
            _users[section.Key] = user;
        }
    }

    /// <summary>Every configured user with their digest and role.</summary>
    public IEnumerable<(string Name, string PasswordHash, string Role)> Configured => _users.Select(u => (u.Key, u.Value.PasswordHash, u.Value.Role));
}
