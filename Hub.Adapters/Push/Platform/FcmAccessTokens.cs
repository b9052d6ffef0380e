using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// The OAuth 2.0 access token FCM calls carry, from the service account (RFC 7523 JWT bearer grant): an RS256
/// assertion (iss = client_email, scope firebase.messaging, aud = token_uri, one hour) exchanged at token_uri, and
/// kept until shortly before it expires, so many pushes cost one token request. One per host.
/// </summary>
public sealed class FcmAccessTokens(IHttpClientFactory clients, IOptions<FcmOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>Name of the HttpClient the exchange uses.</summary>
    public const string ClientName = "fcm-oauth";

    /// <summary>The scope of sending FCM messages.</summary>
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<RSA> _key = new(() => PemKeys.Rsa(options.Value.PrivateKey!));
    // A reference swapped whole, so a reader outside the gate never sees a token with another token's expiry.
    private volatile GrantedToken? _current;

    /// <summary>A valid access token; fetched only when none is held or it is about to expire.</summary>
    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_current is { } held && clock.GetUtcNow() < held.RefreshAt)
            return held.Value;
        await _gate.WaitAsync(ct);
        try
        {
            // Another caller may have fetched one while this one waited.
            if (_current is { } fresh && clock.GetUtcNow() < fresh.RefreshAt)
                return fresh.Value;
            var granted = await ExchangeAsync(ct);
            _current = granted;
            return granted.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after FCM refused it (revoked, key rotated), so the next call fetches another.</summary>
    public void Invalidate(string token)
    {
        if (_current is { } held && held.Value == token)
            _current = null;
    }

    private async Task<GrantedToken> ExchangeAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var header = new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (!string.IsNullOrWhiteSpace(o.PrivateKeyId))
            header["kid"] = o.PrivateKeyId;
        var assertion = CompactJws.SignRs256(_key.Value, header, new
        {
            iss = o.ClientEmail,
            scope = Scope,
            aud = o.TokenUri,
            iat = now.ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
        });
        using var http = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenUri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = assertion,
            }),
        };
        using var response = await ProviderCall.SendAsync(http, request, $"The FCM token endpoint {o.TokenUri}", ct);
        if (!response.IsSuccessStatusCode)
            throw ProviderCall.Failure(response, $"The FCM token endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        var granted = await response.Content.ReadFromJsonAsync<TokenResponse>(ct);
        if (granted is not { AccessToken.Length: > 0, ExpiresIn: > 0 })
            throw new PlatformPushRejectedException("The FCM token endpoint answered without access_token and expires_in.");
        return new GrantedToken(granted.AccessToken, now.AddSeconds(granted.ExpiresIn) - o.TokenRefreshMargin);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_key.IsValueCreated)
            _key.Value.Dispose();
        _gate.Dispose();
    }

    private sealed record GrantedToken(string Value, DateTimeOffset RefreshAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] long ExpiresIn,
        [property: JsonPropertyName("token_type")] string? TokenType);
}
