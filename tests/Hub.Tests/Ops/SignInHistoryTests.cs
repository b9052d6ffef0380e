using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Infrastructure.Access;

namespace Hub.Tests.Ops;

/// <summary>Sign-in history (003 §3.15) and the three-strikes lockout of the operations sign-in (003 §5.5.4).</summary>
[Collection("ops")]
public sealed class SignInHistoryTests(OpsHub hub)
{
    [Fact]
    public async Task Three_wrong_passwords_lock_the_account_even_for_the_right_one_and_every_attempt_is_on_record()
    {
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/ops/api/session", new { username = "ops-lockme", password = "guess-" + i })).StatusCode);
        var locked = await http.PostAsJsonAsync("/ops/api/session", new { username = "ops-lockme", password = OpsTestUsers.Password });
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Contains("locked", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var history = await admin.GetFromJsonAsync<JsonElement[]>("/ops/api/sign-ins?principal=ops-lockme&channel=ops");
        Assert.Equal(["locked", "refused", "refused", "refused"], history!.Take(4).Select(e => e.GetProperty("outcome").GetString()));
        Assert.All(history!, e => Assert.Equal("127.0.0.1", e.GetProperty("address").GetString()));
        Assert.DoesNotContain(history!, e => e.GetRawText().Contains("guess-"));

        using var reader = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/ops/api/sign-ins")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_and_sign_out_are_recorded_with_time_address_and_channel()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        using (var operatorUser = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Operator))
            Assert.Equal(HttpStatusCode.NoContent, (await operatorUser.DeleteAsync("/ops/api/session")).StatusCode);
        using var admin = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Admin);
        var history = (await admin.GetFromJsonAsync<JsonElement[]>("/ops/api/sign-ins?principal=ops-operator"))!
            .Where(e => e.GetProperty("at").GetDateTime() >= before).ToList();
        Assert.Equal(["signed-out", "signed-in"], history.Take(2).Select(e => e.GetProperty("outcome").GetString()));
        Assert.All(history, e => Assert.Equal("ops", e.GetProperty("channel").GetString()));
    }
}
