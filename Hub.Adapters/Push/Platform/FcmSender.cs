using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// Sends to Android devices through the FCM HTTP v1 API: <c>POST {base}/v1/projects/{project}/messages:send</c> with
/// <c>{"message":{"token","notification","data","android"}}</c>. Retries of 429/5xx (with <c>Retry-After</c>) are in
/// the client's resilience handler; what is still failing goes back to the bus.
/// </summary>
public sealed class FcmSender(HttpClient http, FcmAccessTokens tokens, IOptions<FcmOptions> options) : IPlatformPushSender
{
    /// <inheritdoc />
    public string Platform => "android";

    /// <inheritdoc />
    public async Task<PlatformPushOutcome> SendAsync(PlatformPush push, CancellationToken ct)
    {
        var o = options.Value;
        var url = $"{o.BaseUrl.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(o.ProjectId!)}/messages:send";
        var body = Body(push);
        for (var attempt = 1; ; attempt++)
        {
            var accessToken = await tokens.GetAsync(ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await ProviderCall.SendAsync(http, request, "FCM", ct);
            if (response.IsSuccessStatusCode)
                return PlatformPushOutcome.Accepted;
            var error = await FcmError.ReadAsync(response, ct);
            // A revoked or rotated token: fetch another once, then it is our credentials.
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                tokens.Invalidate(accessToken);
                continue;
            }
            if (error.TokenGone)
                return PlatformPushOutcome.TokenGone;
            var message = $"FCM answered {(int)response.StatusCode} {error.Status} {error.ErrorCode}: {error.Message}";
            throw ProviderCall.Failure(response, message);
        }
    }

    /// <summary>The documented v1 message: a silent push has no <c>notification</c> and normal priority (data only, no sound).</summary>
    internal static object Body(PlatformPush push)
    {
        var android = new Dictionary<string, object>
        {
            ["priority"] = push.Silent ? "normal" : "high",
            ["collapse_key"] = push.CollapseKey,
            ["ttl"] = $"{(long)push.TimeToLive.TotalSeconds}s",
        };
        var message = new Dictionary<string, object> { ["token"] = push.Token, ["data"] = push.Data, ["android"] = android };
        if (!push.Silent)
        {
            message["notification"] = new { title = push.Title, body = push.Body };
            android["notification"] = new { tag = push.CollapseKey };
        }
        return new { message };
    }

    /// <summary>The error body: <c>{"error":{"code","message","status","details":[{"@type","errorCode"},{"fieldViolations"}]}}</c>.</summary>
    private sealed record FcmError(string? Status, string? ErrorCode, string? Message, bool TokenGone)
    {
        public static async Task<FcmError> ReadAsync(HttpResponseMessage response, CancellationToken ct)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            try
            {
                var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
                var status = error.TryGetProperty("status", out var s) ? s.GetString() : null;
                var message = error.TryGetProperty("message", out var m) ? m.GetString() : text;
                string? code = null;
                var tokenField = false;
                if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
                    foreach (var detail in details.EnumerateArray())
                    {
                        if (detail.TryGetProperty("errorCode", out var c))
                            code ??= c.GetString();
                        if (detail.TryGetProperty("fieldViolations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                            tokenField |= violations.EnumerateArray().Any(v => v.TryGetProperty("field", out var f) && f.GetString() == "message.token");
                    }
                // INVALID_ARGUMENT is also what a malformed message gets: only a complaint about the token forgets the token.
                var badToken = (code ?? status) == "INVALID_ARGUMENT"
                               && (tokenField || message?.Contains("registration token", StringComparison.OrdinalIgnoreCase) == true);
                return new FcmError(status, code, message, code == "UNREGISTERED" || badToken);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new FcmError(null, null, text, false);
            }
        }
    }
}
