using System.Security.Cryptography;
using System.Text;

namespace Hub.Adapters.Ops;

/// <summary>One operations user (<c>Ops:Users:&lt;name&gt;</c>).</summary>
public sealed class OpsUser
{
    /// <summary>PBKDF2 hash made by <c>dotnet run --project Hub.Adapters -- hash-password</c>.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><c>reader</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = OpsRoles.Reader;
}

/// <summary>The roles of the operations view; each includes the ones before it.</summary>
public static class OpsRoles
{
    /// <summary>Sees everything.</summary>
    public const string Reader = "reader";
    /// <summary>May also retry, edit and archive failed messages.</summary>
    public const string Operator = "operator";
    /// <summary>May also purge old records at once.</summary>
    public const string Admin = "admin";

    /// <summary>Authorization policy names.</summary>
    public const string CanRead = "ops-reader", CanOperate = "ops-operator", CanAdminister = "ops-admin";

    /// <summary>Whether <paramref name="role"/> is one of ours.</summary>
    public static bool IsKnown(string role) => role is Reader or Operator or Admin;
}

/// <summary>
/// Password hashes for the operations users: PBKDF2-HMAC-SHA256 with a random salt, stored as
/// <c>PBKDF2-SHA256$iterations$salt$hash</c> (Base64), compared in constant time.
/// </summary>
public static class OpsPasswordHasher
{
    private const int Iterations = 210_000;
    private const string Scheme = "PBKDF2-SHA256";

    /// <summary>Hashes <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; a malformed hash never matches.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 10_000)
            return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>hash-password</c>: reads a password from standard input (or the argument after the command)
    /// and prints its hash for <c>Ops:Users:&lt;name&gt;:PasswordHash</c>.
    /// </summary>
    public static int RunCommand(string[] args)
    {
        var password = args.Length > 1 ? args[1] : Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden();
        if (string.IsNullOrEmpty(password) || password.Length < 8)
        {
            Console.Error.WriteLine("A password of at least 8 characters is required.");
            return 2;
        }
        Console.WriteLine(Hash(password));
        return 0;
    }

    private static string ReadHidden()
    {
        Console.Error.Write("Password: ");
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && text.Length > 0)
                text.Length--;
            else if (!char.IsControl(key.KeyChar))
                text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}

/// <summary>
/// The configured users; with none configured, a one-off <c>admin</c> with a random password printed
/// once in the log at start, so a newcomer can sign in and then configure real users.
/// </summary>
public sealed class OpsUserDirectory
{
    private readonly Dictionary<string, OpsUser> _users;

    public OpsUserDirectory(IConfiguration configuration, ILogger<OpsUserDirectory> logger)
    {
        _users = new(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection("Ops:Users").GetChildren())
        {
            var user = section.Get<OpsUser>() ?? new OpsUser();
            if (!OpsRoles.IsKnown(user.Role) || !user.PasswordHash.StartsWith("PBKDF2-SHA256$", StringComparison.Ordinal))
                throw new InvalidOperationException($"Ops:Users:{section.Key} needs a PasswordHash from 'hash-password' and a Role of reader, operator or admin.");
            _users[section.Key] = user;
        }
        if (_users.Count == 0)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-');
            _users["admin"] = new OpsUser { PasswordHash = OpsPasswordHasher.Hash(password), Role = OpsRoles.Admin };
            logger.LogWarning("No Ops:Users configured: sign in to /ops as 'admin' with password {Password} (valid until this process stops; "
                + "configure Ops:Users:<name>:PasswordHash and :Role for lasting users)", password);
        }
    }

    /// <summary>The role of the user if the password is right.</summary>
    public string? Authenticate(string username, string password)
    {
        if (!_users.TryGetValue(username, out var user))
        {
            // Same work for an unknown name, so the answer time does not tell which names exist.
            OpsPasswordHasher.Verify(password, DummyHash);
            return null;
        }
        return OpsPasswordHasher.Verify(password, user.PasswordHash) ? user.Role : null;
    }

    private static readonly string DummyHash = OpsPasswordHasher.Hash(Guid.NewGuid().ToString());
}
