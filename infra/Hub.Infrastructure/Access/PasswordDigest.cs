using System.Security.Cryptography;
using System.Text;

namespace Hub.Infrastructure.Access;

/// <summary>
/// Salted, slow password digests for every identity the hub keeps (operations staff, mobile users, partner systems):
/// PBKDF2-HMAC-SHA256 stored as <c>PBKDF2-SHA256$iterations$salt$hash</c> (Base64 parts), compared in constant time.
/// </summary>
public static class PasswordDigest
{
    /// <summary>Iterations of new digests; stored digests carry their own count, so raising it never locks anyone out.</summary>
    public const int Iterations = 210_000;

    private const string Scheme = "PBKDF2-SHA256";
    private const int MinimumIterations = 10_000;

    /// <summary>A digest of <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="digest"/> has the shape <see cref="Hash"/> makes (for configuration checks).</summary>
    public static bool IsDigest(string? digest) =>
        digest is not null && digest.Split('$') is [var scheme, var iterations, _, _]
        && scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase) && int.TryParse(iterations, out var n) && n >= MinimumIterations;

    /// <summary>Whether <paramref name="password"/> matches <paramref name="digest"/>; a malformed digest never matches.</summary>
    public static bool Verify(string password, string digest)
    {
        if (!IsDigest(digest))
            return false;
        var parts = digest.Split('$');
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, int.Parse(parts[1]), HashAlgorithmName.SHA256, expected.Length);
            return expected.Length >= 16 && CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>hash-password</c>: reads a password from standard input (or the argument after the command) and prints its
    /// digest, for <c>Ops:Users:&lt;name&gt;:PasswordHash</c> and <c>Hub:Clients:&lt;id&gt;:SecretHash</c>.
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
