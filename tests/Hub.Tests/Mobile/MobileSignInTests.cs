using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Mobile;

/// <summary>Login, the user + phone + device binding, lockout, and the wipe command, over real HTTP.</summary>
[Collection("embedded")]
public sealed class MobileSignInTests(EmbeddedHubFixture hub)
{
    private async Task<(string UserId, string Password, string Phone)> NewUser(string role = MobileRoles.Salesperson, string office = "sh-pudong")
    {
        var userId = "u-" + Guid.NewGuid().ToString("N")[..8];
        var password = Guid.NewGuid().ToString("N");
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999);
        await hub.Hub.Hub.Services.GetRequiredService<MobileUserDirectory>().UpsertAsync(userId,
            new MobileUserSeed { Role = role, Office = office, Region = "east", Phone = phone, Password = password });
        return (userId, password, phone);
    }

    private async Task<HttpResponseMessage> Login(string userId, string password, string phone, string deviceId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        return await http.PostAsJsonAsync("/api/v1/auth/login", new { userId, password, phone, deviceId, platform = "ios" });
    }

    [Fact]
    public async Task Api_without_a_token_is_refused_with_a_401_problem()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var response = await http.GetAsync("/api/v1/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Tampered_token_is_refused()
    {
        var (userId, password, phone) = await NewUser();
        using var session = await MobileSession.SignInAsync(hub.BaseUrl, userId, password, phone);
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var parts = session.Token.Split('.');
        // Same signature, a payload claiming to be someone else.
        var payload = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { sub = "mgr-chen", role = "manager" })).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{parts[0]}.{payload}.{parts[2]}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/orders")).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_or_wrong_phone_is_refused_alike()
    {
        var (userId, password, phone) = await NewUser();
        var wrongPassword = await Login(userId, "not-the-password", phone, "d1-" + userId);
        var wrongPhone = await Login(userId, password, "13000000000", "d1-" + userId);
        var unknownUser = await Login("nobody-" + userId, password, phone, "d1-" + userId);
        Assert.All([wrongPassword, wrongPhone, unknownUser], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(await wrongPassword.Content.ReadFromJsonAsync<JsonElement>().ContinueWith(t => t.Result.GetProperty("detail").GetString()),
            await unknownUser.Content.ReadFromJsonAsync<JsonElement>().ContinueWith(t => t.Result.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Three_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var (userId, password, phone) = await NewUser();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Login(userId, "wrong-" + i, phone, "d-" + userId)).StatusCode);
        var locked = await Login(userId, password, phone, "d-" + userId);
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Login_is_validated_field_by_field()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userId = "", platform = "symbian" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "userId", "password", "phone", "deviceId", "platform" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_second_handset_is_refused_while_the_first_is_bound_and_a_device_of_another_user_is_refused()
    {
        var (userId, password, phone) = await NewUser();
        using var first = await MobileSession.SignInAsync(hub.BaseUrl, userId, password, phone);
        var second = await Login(userId, password, phone, "other-" + userId);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        // The same handset signs in again without trouble.
        Assert.Equal(HttpStatusCode.OK, (await Login(userId, password, phone, first.DeviceId)).StatusCode);

        var (otherUser, otherPassword, otherPhone) = await NewUser();
        var borrowed = await Login(otherUser, otherPassword, otherPhone, first.DeviceId);
        Assert.Equal(HttpStatusCode.Forbidden, borrowed.StatusCode);
    }

    [Fact]
    public async Task Device_reported_lost_gets_the_wipe_command_on_its_next_call_and_at_login()
    {
        var (userId, password, phone) = await NewUser();
        using var phoneSession = await MobileSession.SignInAsync(hub.BaseUrl, userId, password, phone);
        Assert.Equal(HttpStatusCode.OK, (await phoneSession.Http.GetAsync("/api/v1/orders")).StatusCode);

        var lost = await phoneSession.PostAsync($"/api/v1/devices/{phoneSession.DeviceId}/lost", new { });
        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);

        var next = await phoneSession.Http.GetAsync("/api/v1/orders");
        Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
        Assert.Equal("wipe", next.Headers.GetValues("Device-Command").Single());
        Assert.Equal("wipe", (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("command").GetString());

        var again = await Login(userId, password, phone, phoneSession.DeviceId);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("wipe", again.Headers.GetValues("Device-Command").Single());
        // The lost handset no longer counts as bound: a new one may be bound.
        using var replacement = await MobileSession.SignInAsync(hub.BaseUrl, userId, password, phone);
        Assert.Equal(HttpStatusCode.OK, (await replacement.Http.GetAsync("/api/v1/orders")).StatusCode);
    }

    [Fact]
    public async Task Only_a_supervisor_of_the_office_may_disable_a_device_and_the_device_is_then_wiped()
    {
        var (userId, password, phone) = await NewUser(office: "bj-chaoyang");
        using var engineer = await MobileSession.SignInAsync(hub.BaseUrl, userId, password, phone);
        using var colleague = await hub.SignInAsync("sales-" + Guid.NewGuid().ToString("N")[..6], office: "bj-chaoyang");
        using var otherOffice = await hub.SignInAsync("sup-" + Guid.NewGuid().ToString("N")[..6], MobileRoles.OfficeSupervisor, office: "sh-pudong");
        using var supervisor = await hub.SignInAsync("sup-" + Guid.NewGuid().ToString("N")[..6], MobileRoles.OfficeSupervisor, office: "bj-chaoyang");

        // A colleague has no one else in scope: the device is not even disclosed.
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostAsync($"/api/v1/devices/{engineer.DeviceId}/disable", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherOffice.PostAsync($"/api/v1/devices/{engineer.DeviceId}/disable", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await engineer.Http.GetAsync("/api/v1/devices")).StatusCode);

        var disabled = await supervisor.PostAsync($"/api/v1/devices/{engineer.DeviceId}/disable", new { });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal("disabled", (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var refused = await engineer.Http.GetAsync("/api/v1/devices");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("wipe", refused.Headers.GetValues("Device-Command").Single());
    }
}
