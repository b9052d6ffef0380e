using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Access;

/// <summary>One operations user (<c>Ops:Users:&lt;name&gt;</c>).</summary>
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
    /// <summary>May also purge old records at once.</summary>
    public const string Admin = "admin";

    /// <summary>Authorization policy names.</summary>
    public const string CanRead = "ops-reader", CanOperate = "ops-operator", CanAdminister = "ops-admin";

    /// <summary>Whether <paramref name="role"/> is one of ours.</summary>
    public static bool IsKnown(string role) => role is Reader or Operator or Admin;
}

/// <summary>
/// The configured operations users; with none configured, a one-off <c>admin</c> with a random password printed
/// once in the log at start, so a newcomer can sign in and then configure real users.
/// </summary>
public sealed class OpsUserDirectory
{
    private static readonly string DummyDigest = PasswordDigest.Hash(Guid.NewGuid().ToString());
    private readonly Dictionary<string, OpsUser> _users;

    public OpsUserDirectory(IConfiguration configuration, ILogger<OpsUserDirectory> logger)
    {
        _users = new(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection("Ops:Users").GetChildren())
        {
            var user = section.Get<OpsUser>() ?? new OpsUser();
            if (!OpsRoles.IsKnown(user.Role) || !PasswordDigest.IsDigest(user.PasswordHash))
                throw new InvalidOperationException($"Ops:Users:{section.Key} needs a PasswordHash from 'hash-password' and a Role of reader, operator or admin.");
            _users[section.Key] = user;
        }
        if (_users.Count == 0)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-');
            _users["admin"] = new OpsUser { PasswordHash = PasswordDigest.Hash(password), Role = OpsRoles.Admin };
            logger.LogWarning("No Ops:Users configured: sign in to /ops as 'admin' with password {Password} (valid until this process stops; "
                + "configure Ops:Users:<name>:PasswordHash and :Role for lasting users)", password);
        }
    }

    /// <summary>Every configured user with the role configuration gives them (granted in the store at start).</summary>
    public IEnumerable<(string Name, string Role)> Configured => _users.Select(u => (u.Key, u.Value.Role));

    /// <summary>The configured role of the user if the password is right.</summary>
    public string? Authenticate(string username, string password)
    {
        if (!_users.TryGetValue(username, out var user))
        {
            // Same work for an unknown name, so the answer time does not tell which names exist.
            PasswordDigest.Verify(password, DummyDigest);
            return null;
        }
        return PasswordDigest.Verify(password, user.PasswordHash) ? user.Role : null;
    }
}
