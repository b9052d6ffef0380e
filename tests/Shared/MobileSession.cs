using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hub.TestSupport;

/// <summary>A phone signed in to the hub: its bearer token, device id and an HttpClient that sends them.</summary>
public sealed class MobileSession : IDisposable
{
    private MobileSession(string baseUrl, string userId, string deviceId, string token)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        UserId = userId;
        DeviceId = deviceId;
        Token = token;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string BaseUrl { get; }
    public string UserId { get; }
    public string DeviceId { get; }
    public string Token { get; }
    /// <summary>Sends the bearer token on every request.</summary>
    public HttpClient Http { get; }

    /// <summary>Signs in over <c>POST /api/v1/auth/login</c>; fails with the hub's answer when refused.</summary>
    public static async Task<MobileSession> SignInAsync(string baseUrl, string userId, string password, string phone, string? deviceId = null)
    {
        deviceId ??= "dev-" + Guid.NewGuid().ToString("N")[..12];
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { userId, password, phone, deviceId, platform = "android" });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sign-in of {userId} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new MobileSession(baseUrl, userId, deviceId, body.GetProperty("accessToken").GetString()!);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with an <c>Idempotency-Key</c> (a new one unless given).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return Http.SendAsync(request);
    }

    /// <summary>Opens this device's push stream.</summary>
    public Task<SseStream> OpenStreamAsync(string? lastEventId = null) =>
        SseStream.OpenAsync($"{BaseUrl}/api/v1/push/stream", lastEventId, Token);

    public void Dispose() => Http.Dispose();
}
