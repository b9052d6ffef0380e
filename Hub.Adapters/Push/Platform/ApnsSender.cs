using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// Sends to iOS devices through APNs over HTTP/2: <c>POST {base}/3/device/{token}</c> with the provider token and the
/// <c>apns-*</c> headers, body <c>{"aps":{"alert":{"title","body"},"sound"}, …data}</c>. 410 <c>Unregistered</c> and
/// 400 <c>BadDeviceToken</c> mean the token is gone; 429/5xx are retried by the client's resilience handler, then the bus.
/// </summary>
public sealed class ApnsSender(HttpClient http, ApnsProviderToken providerToken, IOptions<ApnsOptions> options, TimeProvider clock)
    : IPlatformPushSender
{
    /// <summary>Configures the client: HTTP/2 only (APNs speaks nothing else; over plain http it is h2c with prior knowledge).</summary>
    public static void Configure(HttpClient client)
    {
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
    }

    /// <inheritdoc />
    public string Platform => "ios";

    /// <inheritdoc />
    public async Task<PlatformPushOutcome> SendAsync(PlatformPush push, CancellationToken ct)
    {
        var o = options.Value;
        var url = $"{o.BaseUrl.TrimEnd('/')}/3/device/{Uri.EscapeDataString(push.Token)}";
        var body = Body(push);
        for (var attempt = 1; ; attempt++)
        {
            var token = providerToken.Current();
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(body),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("authorization", $"bearer {token}");
            request.Headers.Add("apns-topic", o.BundleId);
            request.Headers.Add("apns-push-type", push.Silent ? "background" : "alert");
            // A background push must go at priority 5; alerts go at once.
            request.Headers.Add("apns-priority", push.Silent ? "5" : "10");
            request.Headers.Add("apns-expiration", clock.GetUtcNow().Add(push.TimeToLive).ToUnixTimeSeconds().ToString());
            request.Headers.Add("apns-id", push.Id.ToString("D"));
            request.Headers.Add("apns-collapse-id", push.CollapseKey.Length <= 64 ? push.CollapseKey : push.CollapseKey[..64]);
            using var response = await ProviderCall.SendAsync(http, request, "APNs", ct);
            if (response.IsSuccessStatusCode)
                return PlatformPushOutcome.Accepted;
            var reason = await Reason(response, ct);
            if (response.StatusCode == HttpStatusCode.Gone || (response.StatusCode == HttpStatusCode.BadRequest && reason == "BadDeviceToken"))
                return PlatformPushOutcome.TokenGone;
            if (response.StatusCode == HttpStatusCode.Forbidden && reason == "ExpiredProviderToken" && attempt == 1 && providerToken.RenewExpired(token))
                continue;
            var message = $"APNs answered {(int)response.StatusCode} {reason}";
            throw ProviderCall.Failure(response, message);
        }
    }

    /// <summary>The documented payload: the app's own keys beside <c>aps</c>; a silent push is <c>content-available</c> only.</summary>
    internal static Dictionary<string, object> Body(PlatformPush push)
    {
        var body = new Dictionary<string, object>();
        foreach (var (key, value) in push.Data)
            if (key != "aps")
                body[key] = value;
        body["aps"] = push.Silent
            ? new Dictionary<string, object> { ["content-available"] = 1 }
            : new Dictionary<string, object> { ["alert"] = new { title = push.Title, body = push.Body }, ["sound"] = "default", ["thread-id"] = push.Data.GetValueOrDefault("kind", "") };
        return body;
    }

    /// <summary>APNs' error body: <c>{"reason":"Unregistered","timestamp":…}</c>.</summary>
    private static async Task<string> Reason(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return text;
        }
    }
}
