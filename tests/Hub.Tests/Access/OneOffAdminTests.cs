using System.Net;
using System.Net.Http.Json;
using Hub.Embedded;
using Hub.Persistence.Encryption;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Access;

/// <summary>The first sign-in secret of a hub without <c>Ops:Users</c> is handed over in an owner-only file, never in the log.</summary>
public sealed class OneOffAdminTests
{
    [Fact]
    public async Task One_off_admin_password_is_in_an_owner_only_file_beside_the_store_and_not_in_the_log()
    {
        var root = Path.Combine(Path.GetTempPath(), "hub-admin-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var logs = new CapturedLogs();
        try
        {
            await using var hub = await EmbeddedHub.StartAsync(
            [
                "--urls=http://127.0.0.1:0", "--Simulators:Urls=http://127.0.0.1:0", $"--Hub:SqlitePath={Path.Combine(root, "hub.db")}",
                $"--Smtp:PickupDirectory={Path.Combine(root, "mail")}", "--Logging:LogLevel:Default=Debug",
                .. ColumnEncryptionOptions.Generate().AsSettings().Select(s => "--" + s),
            ], configure: builder => builder.Logging.AddProvider(logs));
            var file = Path.Combine(root, "ops-admin-password.txt");
            Assert.True(File.Exists(file), "the password file beside hub.db");
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var password = (await File.ReadAllTextAsync(file)).Trim();
            Assert.True(password.Length >= 12);
            Assert.Contains(logs.Lines, l => l.Contains("ops-admin-password.txt", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(password, StringComparison.Ordinal));

            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(EmbeddedHub.AddressOf(hub.Hub)) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/ops/api/session", new { username = "admin", password = "not-" + password })).StatusCode);
            (await http.PostAsJsonAsync("/ops/api/session", new { username = "admin", password })).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ops/api/endpoints")).StatusCode);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
