using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using Hub.Soap.Tests.Infrastructure;
using Hub.Tests.Ops;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Access;

/// <summary>
/// Partner systems kept by operations admins (003 §3.15): created with a secret shown once, their allowed networks (IP lock
/// per partner) enforced on every channel they call — SOAP UsernameToken, billing's webhook signature, HTTP Basic, Kannel's
/// callback — from inside accepted, from outside refused exactly like a wrong secret. The tests call from loopback.
/// </summary>
[Collection("access")]
public sealed class PartnerAccessTests(AccessHub hub)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Anonymous() => new() { BaseAddress = new Uri(hub.BaseUrl) };

    private static async Task<(JsonElement Partner, string Secret)> CreateAsync(HttpClient admin, object body)
    {
        var created = await admin.PostAsJsonAsync("/ops/api/partners", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (answer.GetProperty("partner"), answer.GetProperty("secret").GetString()!);
    }

    private static async Task AllowAsync(HttpClient admin, string kind, string name, params string[] networks)
    {
        var changed = await admin.PutAsJsonAsync($"/ops/api/partners/{kind}/{name}", new { allowedNetworks = networks });
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        Assert.Equal(networks, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
    }

    private Task<SoapHttpResult> FetchAsync(string username, string password) => PartnerCalls.FetchAsync(hub.BaseUrl, username, password);

    [Fact]
    public async Task An_erp_outside_its_networks_gets_the_wrong_password_fault_and_inside_them_is_served()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("erp-");
        var (partner, secret) = await CreateAsync(admin, new { kind = "erp", name, username = name + "-user", allowedNetworks = new[] { "127.0.0.1" } });
        Assert.Equal(["127.0.0.1"], partner.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(name + "-user", secret)).Status);

        await AllowAsync(admin, "erp", name, "10.20.0.0/16");
        var outside = await FetchAsync(name + "-user", secret);
        var wrongPassword = await FetchAsync(name + "-user", "not-the-password");
        Assert.Equal(HttpStatusCode.InternalServerError, outside.Status);
        // The fault tells an ERP outside its networks nothing a wrong password would not.
        Assert.Equal(wrongPassword.Fault!.ToString(), outside.Fault!.ToString());

        await AllowAsync(admin, "erp", name);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(name + "-user", secret)).Status);
    }

    [Fact]
    public async Task Networks_from_configuration_fence_an_erp_and_let_another_in()
    {
        Assert.Equal(HttpStatusCode.InternalServerError, (await FetchAsync(AccessHub.FencedErp, Erp.ErpTestPartners.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(AccessHub.NorthErp, Erp.ErpTestPartners.Password)).Status);
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/ops/api/partners");
        var fenced = listed.EnumerateArray().Single(p => p.GetProperty("name").GetString() == AccessHub.FencedErp);
        Assert.Equal(["10.0.0.0/8"], fenced.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
    }

    private Task<HttpStatusCode> WebhookAsync(string secret) => PartnerCalls.WebhookAsync(hub.BaseUrl, secret);

    [Fact]
    public async Task A_billing_secret_signs_only_from_its_partners_networks()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("billing-");
        var (_, secret) = await CreateAsync(admin, new { kind = "billing", name, allowedNetworks = new[] { "10.1.2.3" } });
        Assert.Equal(HttpStatusCode.Unauthorized, await WebhookAsync(secret));
        await AllowAsync(admin, "billing", name, "127.0.0.0/8", "::1");
        Assert.Equal(HttpStatusCode.OK, await WebhookAsync(secret));
    }

    private Task<HttpResponseMessage> NotificationsAsync(string clientId, string secret) => PartnerCalls.NotificationsAsync(hub.BaseUrl, clientId, secret);

    [Fact]
    public async Task A_basic_client_outside_its_networks_is_challenged_as_with_a_wrong_secret()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var name = Unique("client-");
        var (partner, secret) = await CreateAsync(admin,
            new { kind = "client", name, scopes = new[] { "notifications:read" }, allowedNetworks = new[] { "192.168.0.0/16" } });
        Assert.Equal(["notifications:read"], partner.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var outside = await NotificationsAsync(name, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, outside.StatusCode);
        Assert.Contains(outside.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        await AllowAsync(admin, "client", name, "127.0.0.1", "::1");
        Assert.Equal(HttpStatusCode.OK, (await NotificationsAsync(name, secret)).StatusCode);
        // Scopes are the admin's to change too: without notifications:read the client is refused, though allowed from here.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/ops/api/partners/client/{name}", new { scopes = new[] { "campaigns:none" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NotificationsAsync(name, secret)).StatusCode);
    }

    [Fact]
    public async Task The_sms_gateway_outside_its_networks_is_refused_as_with_a_wrong_key()
    {
        string key;
        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
            key = (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<PartnerAccount>().AsNoTracking()
                .SingleAsync(p => p.Kind == PartnerKinds.SmsGateway && p.Name == "kannel-inbound")).Secret!;
        using var http = Anonymous();
        string Inbound(string k) => $"/webhooks/sms/kannel/inbound?key={Uri.EscapeDataString(k)}&from=13900000001&text=hello";
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        try
        {
            await AllowAsync(admin, "sms-gateway", "kannel-inbound", "10.0.0.0/8");
            var outside = await http.GetAsync(Inbound(key));
            var wrongKey = await http.GetAsync(Inbound("not-the-key"));
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            Assert.Equal((await wrongKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
                (await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            await AllowAsync(admin, "sms-gateway", "kannel-inbound", "127.0.0.0/8");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Inbound(key))).StatusCode);
        }
        finally
        {
            await AllowAsync(admin, "sms-gateway", "kannel-inbound");
        }
    }

    [Fact]
    public async Task Creating_a_partner_checks_every_field_refuses_a_taken_name_and_records_who_never_the_secret()
    {
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        async Task<string[]> FieldErrors(object body)
        {
            var refused = await admin.PostAsJsonAsync("/ops/api/partners", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            return [.. (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name)];
        }
        Assert.Equal(["kind"], await FieldErrors(new { kind = "fax", name = Unique("p-") }));
        Assert.Equal(["allowedNetworks"], await FieldErrors(new { kind = "billing", name = Unique("p-"), allowedNetworks = new[] { "10.0.0.0/33" } }));
        Assert.Equal(["allowedNetworks"], await FieldErrors(new { kind = "billing", name = Unique("p-"), allowedNetworks = new[] { "erp.example.com" } }));
        Assert.Equal(["username"], await FieldErrors(new { kind = "erp", name = Unique("p-") }));
        Assert.Equal(["username"], await FieldErrors(new { kind = "billing", name = Unique("p-"), username = "u" }));
        Assert.Equal(["scopes"], await FieldErrors(new { kind = "client", name = Unique("p-") }));
        Assert.Equal(["scopes"], await FieldErrors(new { kind = "billing", name = Unique("p-"), scopes = new[] { "notifications:read" } }));
        Assert.Equal(["name"], await FieldErrors(new { kind = "billing", name = "../x" }));

        var name = Unique("crm-");
        var (_, secret) = await CreateAsync(admin, new { kind = "client", name, scopes = new[] { "notifications:read" } });
        var again = await admin.PostAsJsonAsync("/ops/api/partners", new { kind = "client", name, scopes = new[] { "notifications:read" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.DoesNotContain(secret, await again.Content.ReadAsStringAsync());
        var badUpdate = await admin.PutAsJsonAsync($"/ops/api/partners/client/{name}", new { allowedNetworks = new[] { "10.0.0.300" } });
        Assert.Equal(HttpStatusCode.BadRequest, badUpdate.StatusCode);
        Assert.True((await badUpdate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("allowedNetworks", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/ops/api/partners/client/{Unique("nobody-")}", new { allowedNetworks = Array.Empty<string>() })).StatusCode);
        await AllowAsync(admin, "client", name, "172.16.0.0/12");

        // Operators keep no partners.
        using var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorUser.PostAsJsonAsync("/ops/api/partners", new { kind = "billing", name = Unique("p-") })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorUser.PutAsJsonAsync($"/ops/api/partners/client/{name}", new { allowedNetworks = Array.Empty<string>() })).StatusCode);

        Assert.DoesNotContain(secret, await admin.GetStringAsync("/ops/api/partners"));
        var changes = await PartnerCalls.ChangesOfAsync(hub.Hub.Hub.Services, nameof(PartnerAccount), $"client:{name}");
        Assert.Equal(["added", "updated"], changes.Select(c => c.Operation));
        Assert.All(changes, c => Assert.Equal("ops-admin", c.Actor));
        Assert.Contains("172.16.0.0/12", changes[1].After);
        Assert.All(changes, c => Assert.DoesNotContain("PBKDF2", (c.Before ?? "") + c.After));
        Assert.All(changes, c => Assert.DoesNotContain(secret, (c.Before ?? "") + c.After));
    }
}
