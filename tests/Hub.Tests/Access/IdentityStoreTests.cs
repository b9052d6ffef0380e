using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Hub.Persistence.History;
using Hub.TestSupport;
using Hub.Tests.Ops;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>
/// The one identity store through the real HTTP and SOAP pipeline: staff accounts (operations and phone users alike)
/// created, disabled, their passwords reset and changed, each change on record without the digest; partner systems'
/// secrets rotated and disabled, the old secret refused and the new one taken on every protocol, none readable in the
/// raw database.
/// </summary>
[Collection("access")]
public sealed class IdentityStoreTests(AccessHub hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Anonymous() => new() { BaseAddress = new Uri(hub.BaseUrl) };

    private static Task<HttpResponseMessage> OpsSignIn(HttpClient http, string name, string password) =>
        http.PostAsJsonAsync("/ops/api/session", new { username = name, password });

    private async Task<(HttpClient Client, CookieContainer Jar)> OpsClient(string name, string password)
    {
        var jar = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await OpsSignIn(http, name, password)).StatusCode);
        return (http, jar);
    }

    private Task<List<EntityChange>> ChangesOf(string type, string key) => PartnerCalls.ChangesOfAsync(hub.Hub.Hub.Services, type, key);

    [Fact]
    public async Task An_operations_user_created_by_an_admin_signs_in_and_once_disabled_is_refused_even_in_an_open_session()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("ops-new-");
        const string password = "first-password-1";
        var created = await admin.PostAsJsonAsync("/ops/api/staff", new { name, displayName = "新同事", role = OpsRoles.Operator, password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([OpsRoles.Operator], view.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain("PBKDF2", await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/ops/api/staff", new { name, role = OpsRoles.Reader, password })).StatusCode);
        // An ops admin creates nothing carrying more than they hold (a manager's permissions).
        Assert.Equal(HttpStatusCode.Forbidden,
            (await admin.PostAsJsonAsync("/ops/api/staff", new { name = Unique("mgr-"), role = MobileRoles.Manager, password })).StatusCode);

        var (colleague, _) = await OpsClient(name, password);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/ops/api/messages?limit=1")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ops/api/staff/{name}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await colleague.GetAsync("/ops/api/messages?limit=1")).StatusCode);
        using var http = Anonymous();
        var refused = await OpsSignIn(http, name, password);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        // The wrong password is told nothing about the account's state.
        Assert.Equal(HttpStatusCode.Unauthorized, (await OpsSignIn(http, name, "not-the-password")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ops/api/staff/{name}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OpsSignIn(http, name, password)).StatusCode);

        var changes = await ChangesOf(nameof(MobileUser), name);
        Assert.Equal(["added", "disabled", "enabled"], changes.Select(c => c.Operation));
        Assert.All(changes, c => Assert.Equal("ops-admin", c.Actor));
        Assert.All(changes, c => Assert.DoesNotContain("PasswordHash", (c.Before ?? "") + c.After));
    }

    [Fact]
    public async Task A_changed_password_signs_in_the_old_one_is_refused_and_the_policy_is_checked()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("ops-pw-");
        const string first = "first-password-2", second = "second-password-2";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/ops/api/staff", new { name, role = OpsRoles.Reader, password = first })).StatusCode);
        var (self, _) = await OpsClient(name, first);

        var tooShort = await self.PutAsJsonAsync("/ops/api/session/password", new { currentPassword = first, newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.True((await tooShort.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await self.PutAsJsonAsync("/ops/api/session/password", new { currentPassword = first, newPassword = name })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await self.PutAsJsonAsync("/ops/api/session/password", new { currentPassword = "wrong-current-1", newPassword = second })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await self.PutAsJsonAsync("/ops/api/session/password", new { currentPassword = first, newPassword = second })).StatusCode);

        using var http = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await OpsSignIn(http, name, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OpsSignIn(http, name, second)).StatusCode);

        // An admin's reset: the new one works, nothing secret comes back.
        const string third = "third-password-3";
        var reset = await admin.PutAsJsonAsync($"/ops/api/staff/{name}/password", new { password = third });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OpsSignIn(http, name, second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OpsSignIn(http, name, third)).StatusCode);

        var changes = await ChangesOf(nameof(MobileUser), name);
        Assert.Equal(["added", "password-changed", "password-reset"], changes.Select(c => c.Operation));
        Assert.Equal([name, "ops-admin"], changes.Skip(1).Select(c => c.Actor));
        Assert.All(changes, c => Assert.DoesNotContain("PBKDF2", (c.Before ?? "") + c.After));
        Assert.All(changes, c => Assert.DoesNotContain("PasswordHash", (c.Before ?? "") + c.After));
    }

    [Fact]
    public async Task Three_wrong_passwords_lock_an_account_created_in_the_store_even_for_the_right_one()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("ops-lock-");
        const string password = "locked-password-4";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/ops/api/staff", new { name, role = OpsRoles.Reader, password })).StatusCode);
        using var http = Anonymous();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await OpsSignIn(http, name, "guess-" + i)).StatusCode);
        var locked = await OpsSignIn(http, name, password);
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_supervisor_creates_an_account_in_their_office_only_and_its_holder_changes_the_password()
    {
        var office = Unique("office-");
        using var supervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, office, "east");
        using var salesperson = await hub.SignInAsync(Unique("sales-"), MobileRoles.Salesperson, office, "east");
        var name = Unique("new-sales-");
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999);
        const string first = "mobile-password-5", second = "mobile-password-6";
        object Account(string officeName, string role) => new { name, office = officeName, region = "east", phone, role, password = first };

        Assert.Equal(HttpStatusCode.Forbidden, (await salesperson.PostAsync("/api/v1/staff", Account(office, MobileRoles.Salesperson))).StatusCode);
        var elsewhere = await supervisor.PostAsync("/api/v1/staff", Account(Unique("office-"), MobileRoles.Salesperson));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.True((await elsewhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("office", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync("/api/v1/staff", Account(office, MobileRoles.Manager))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await supervisor.PostAsync("/api/v1/staff", Account(office, MobileRoles.Salesperson))).StatusCode);

        var device = "dev-" + Guid.NewGuid().ToString("N")[..12];
        using (var holder = await MobileSession.SignInAsync(hub.BaseUrl, name, first, phone, device))
        {
            Assert.Equal(HttpStatusCode.Forbidden,
                (await holder.Http.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = "wrong-current-7", newPassword = second })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent,
                (await holder.Http.PutAsJsonAsync("/api/v1/staff/me/password", new { currentPassword = first, newPassword = second })).StatusCode);
        }
        await Assert.ThrowsAsync<InvalidOperationException>(() => MobileSession.SignInAsync(hub.BaseUrl, name, first, phone, device));
        using var again = await MobileSession.SignInAsync(hub.BaseUrl, name, second, phone, device);
        // The same account and password, but no operations role: no operations cookie.
        using (var http = Anonymous())
            Assert.Equal(HttpStatusCode.Forbidden, (await OpsSignIn(http, name, second)).StatusCode);

        // Disabled by the supervisor: the phone is told to wipe on its next call.
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostAsync($"/api/v1/staff/{name}/disable", new { })).StatusCode);
        var wiped = await again.Http.GetAsync("/api/v1/orders");
        Assert.Equal(HttpStatusCode.Forbidden, wiped.StatusCode);
        Assert.Equal("wipe", wiped.Headers.GetValues(MobileAuthentication.DeviceCommandHeader).Single());
        // Staff out of reach answer as missing.
        using var otherSupervisor = await hub.SignInAsync(Unique("sup-"), MobileRoles.OfficeSupervisor, Unique("office-"), "east");
        Assert.Equal(HttpStatusCode.NotFound, (await otherSupervisor.PostAsync($"/api/v1/staff/{name}/enable", new { })).StatusCode);

        var changes = await ChangesOf(nameof(MobileUser), name);
        Assert.Equal(["added", "password-changed", "disabled"], changes.Select(c => c.Operation));
        Assert.Equal(supervisor.UserId, changes[0].Actor);
    }

    [Fact]
    public async Task Configuration_import_creates_an_account_but_never_overwrites_a_password_changed_in_the_store()
    {
        var directory = hub.Hub.Hub.Services.GetRequiredService<MobileUserDirectory>();
        var name = Unique("cfg-");
        var phone = "136" + Random.Shared.Next(10_000_000, 99_999_999);
        var seed = new MobileUserSeed { Role = MobileRoles.Salesperson, Office = "o", Region = "r", Phone = phone, Password = "configured-password-8" };
        await directory.ImportAsync(name, seed);
        var device = "dev-" + Guid.NewGuid().ToString("N")[..12];
        using (var session = await MobileSession.SignInAsync(hub.BaseUrl, name, seed.Password, phone, device))
        {
            // While the password is configuration's, a new one in configuration is taken at the next start.
            seed.Password = "configured-password-9";
            await directory.ImportAsync(name, seed);
            Assert.Equal(HttpStatusCode.NoContent, (await session.Http.PutAsJsonAsync("/api/v1/staff/me/password",
                new { currentPassword = "configured-password-9", newPassword = "chosen-password-10" })).StatusCode);
        }
        await directory.ImportAsync(name, seed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => MobileSession.SignInAsync(hub.BaseUrl, name, seed.Password, phone, device));
        using var chosen = await MobileSession.SignInAsync(hub.BaseUrl, name, "chosen-password-10", phone, device);
    }

    private async Task<HttpStatusCode> Fetch(string password, bool digest) =>
        (await PartnerCalls.FetchAsync(hub.BaseUrl, $"{AccessHub.RotatedErp}-user", password, digest)).Status;

    [Fact]
    public async Task A_rotated_erp_secret_refuses_the_old_usernametoken_and_takes_the_new_one_as_text_and_as_digest()
    {
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (await Fetch(AccessHub.RotatedErpPassword, false), await Fetch(AccessHub.RotatedErpPassword, true)));
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var rotated = await admin.PostAsync($"/ops/api/partners/erp/{AccessHub.RotatedErp}/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var secret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError),
            (await Fetch(AccessHub.RotatedErpPassword, false), await Fetch(AccessHub.RotatedErpPassword, true)));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (await Fetch(secret, false), await Fetch(secret, true)));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ops/api/partners/erp/{AccessHub.RotatedErp}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, await Fetch(secret, true));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/ops/api/partners/erp/{AccessHub.RotatedErp}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Fetch(secret, true));

        var listed = await admin.GetStringAsync("/ops/api/partners");
        Assert.Contains(AccessHub.RotatedErp, listed);
        Assert.DoesNotContain(secret, listed);
        Assert.Equal(["added", "secret-rotated", "disabled", "enabled"],
            (await ChangesOf(nameof(PartnerAccount), $"erp:{AccessHub.RotatedErp}")).Select(c => c.Operation));
    }

    private Task<HttpStatusCode> Webhook(string secret) => PartnerCalls.WebhookAsync(hub.BaseUrl, secret);

    [Fact]
    public async Task A_rotated_webhook_secret_refuses_the_old_signature_and_takes_the_new_one()
    {
        Assert.Equal(HttpStatusCode.OK, await Webhook(AccessHub.SecondBillingSecret));
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var rotated = await admin.PostAsync("/ops/api/partners/billing/billing-1/rotate", null);
        var secret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, await Webhook(AccessHub.SecondBillingSecret));
        Assert.Equal(HttpStatusCode.OK, await Webhook(secret));
        // The other secret of the rotation pair is untouched.
        Assert.Equal(HttpStatusCode.OK, await Webhook(AccessHub.BillingSecret));
    }

    private async Task<HttpStatusCode> Notifications(string secret) =>
        (await PartnerCalls.NotificationsAsync(hub.BaseUrl, AccessHub.RotatedClient, secret)).StatusCode;

    [Fact]
    public async Task A_rotated_client_secret_is_refused_over_basic_and_the_new_one_is_taken()
    {
        Assert.Equal(HttpStatusCode.OK, await Notifications(AccessHub.ClientSecret));
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var rotated = await admin.PostAsync($"/ops/api/partners/client/{AccessHub.RotatedClient}/rotate", null);
        var secret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, await Notifications(AccessHub.ClientSecret));
        Assert.Equal(HttpStatusCode.OK, await Notifications(secret));
    }

    [Fact]
    public async Task The_raw_database_holds_no_partner_secret_in_clear_and_a_rotated_sms_gateway_key_is_taken()
    {
        using var http = Anonymous();
        string Inbound(string key) => $"/webhooks/sms/kannel/inbound?key={Uri.EscapeDataString(key)}&from=13900000000&text=hello";
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Inbound(AccessHub.KannelInboundKey))).StatusCode);
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var rotated = await admin.PostAsync("/ops/api/partners/sms-gateway/kannel-inbound/rotate", null);
        var key = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(Inbound(AccessHub.KannelInboundKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Inbound(key))).StatusCode);

        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await using var raw = db.Database.GetDbConnection();
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "SELECT \"Kind\", \"Secret\", \"SecretHash\" FROM partner_account";
            await using var rows = await command.ExecuteReaderAsync();
            var seen = 0;
            while (await rows.ReadAsync())
            {
                seen++;
                if (rows.GetString(0) == PartnerKinds.Client)
                    Assert.StartsWith("PBKDF2-SHA256$", rows.GetString(2));
                else
                    Assert.StartsWith("enc1:", rows.GetString(1));
            }
            Assert.True(seen >= 5);
        }
        var files = new[] { hub.DatabasePath, hub.DatabasePath + "-wal" }.Where(File.Exists).Select(File.ReadAllBytes).ToList();
        foreach (var secret in new[] { AccessHub.RotatedErpPassword, AccessHub.BillingSecret, AccessHub.SecondBillingSecret, AccessHub.KannelInboundKey, key,
                     AccessHub.ClientSecret, Erp.ErpTestPartners.Password })
            Assert.DoesNotContain(files, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0);
    }
}
