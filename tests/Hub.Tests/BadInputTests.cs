using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.TestSupport;

namespace Hub.Tests;

/// <summary>Bad input from outside is refused with a clear error and changes nothing.</summary>
[Collection("embedded")]
public sealed class BadInputTests(EmbeddedHubFixture hub)
{
    private async Task<(HttpStatusCode Status, JsonElement Problem, string MediaType)> PostOrder(string json, string owner = "sales-x")
    {
        using var phone = await hub.SignInAsync(owner + "-" + Guid.NewGuid().ToString("N")[..6]);
        json = json.Replace("\"ownerUserId\":\"" + owner + "\"", "\"ownerUserId\":\"" + phone.UserId + "\"");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await phone.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Content.Headers.ContentType?.MediaType ?? "");
    }

    [Theory]
    [InlineData("{\"customerCode\": \"C1\", \"lines\": [")]
    [InlineData("not json at all")]
    [InlineData("{\"orderId\": \"not-a-guid\", \"customerCode\": \"C1\"}")]
    [InlineData("{\"lines\": [{\"quantity\": \"two\"}]}")]
    public async Task Malformed_json_is_refused_with_problem_details(string json)
    {
        var (status, problem, mediaType) = await PostOrder(json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Order_breaking_rules_is_refused_field_by_field_and_nothing_is_sent()
    {
        var id = Guid.NewGuid();
        var (status, problem, mediaType) = await PostOrder(JsonSerializer.Serialize(new
        {
            orderId = id,
            customerCode = "",
            ownerUserId = "sales-x",
            lines = new[] { new { productCode = "BB", quantity = 0, unitPrice = 10m, discount = 1.5m } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("customerCode", out _));
        Assert.True(errors.TryGetProperty("lines[0].quantity", out _));
        Assert.True(errors.TryGetProperty("lines[0].discount", out _));

        using var phone = await hub.SignInAsync("sup-" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        Assert.Equal(HttpStatusCode.NotFound, (await phone.Http.GetAsync($"/api/orders/{id}")).StatusCode);
        using var ops = await Ops.OpsTestUsers.SignInAsync(hub.BaseUrl, "reader");
        Assert.DoesNotContain((await ops.GetFromJsonAsync<JsonElement[]>("/ops/api/messages?type=PlaceOrder&limit=1000"))!,
            m => m.GetProperty("correlationId").ValueKind == JsonValueKind.String && m.GetProperty("businessKeys").GetString()!.Contains(id.ToString()));
    }
}
