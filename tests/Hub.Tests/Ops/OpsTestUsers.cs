using Hub.Infrastructure.Access;
using System.Net;
using System.Net.Http.Json;
using Hub.Adapters.Ops;

namespace Hub.Tests.Ops;

/// <summary>Operations users of the test hubs, one per role, and signed-in clients for them.</summary>
public static class OpsTestUsers
{
    /// <summary>The password every test user has.</summary>
    public const string Password = "ops-test-password";

    private static readonly string Hash = PasswordDigest.Hash(Password);

    /// <summary>Command-line settings that create <c>ops-reader</c>, <c>ops-operator</c> and <c>ops-admin</c>.</summary>
    public static string[] Args { get; } = [.. new[] { OpsRoles.Reader, OpsRoles.Operator, OpsRoles.Admin }
        .SelectMany(role => new[] { $"--Ops:Users:ops-{role}:PasswordHash={Hash}", $"--Ops:Users:ops-{role}:Role={role}" })];

    /// <summary>Command-line settings that create one more user, <paramref name="name"/>, with the same password.</summary>
    public static string[] User(string name, string role) => [$"--Ops:Users:{name}:PasswordHash={Hash}", $"--Ops:Users:{name}:Role={role}"];

    /// <summary>A client signed in to <c>/ops</c> as the user of <paramref name="role"/> (the cookie stays in its handler).</summary>
    public static async Task<HttpClient> SignInAsync(string baseUrl, string role = OpsRoles.Admin)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(baseUrl) };
        Jars.Add(http, cookies);
        var response = await http.PostAsJsonAsync("/ops/api/session", new { username = "ops-" + role, password = Password });
        response.EnsureSuccessStatusCode();
        return http;
    }

    /// <summary>The <c>Cookie</c> header a client from <see cref="SignInAsync"/> sends, to replay it elsewhere.</summary>
    public static string CookieHeader(HttpClient signedIn, string baseUrl) => Jars.TryGetValue(signedIn, out var jar)
        ? jar.GetCookieHeader(new Uri(baseUrl))
        : throw new InvalidOperationException("not a client from SignInAsync");

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Jars = new();
}
