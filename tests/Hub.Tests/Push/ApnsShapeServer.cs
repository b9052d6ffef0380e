using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hub.Tests.Push;

/// <summary>
/// APNs over HTTP/2 only (h2c on loopback), checking the documented request: <c>POST /3/device/{hex token}</c>, the ES256
/// provider token (signature with the .p8 key's public half, <c>kid</c>, <c>iss</c> team id, <c>iat</c> within the hour),
/// <c>apns-topic</c>, <c>apns-push-type</c>, <c>apns-priority</c>, <c>apns-expiration</c>, <c>apns-id</c>, and an
/// <c>aps</c> dictionary that matches the push type. Answers like APNs: 200 with <c>apns-id</c>, or a status with <c>{"reason"}</c>.
/// </summary>
public sealed class ApnsShapeServer(TimeProvider clock) : ShapeServer
{
    public const string BundleId = "com.example.crm.field";
    public const string TeamId = "TEAM123456";
    public const string KeyId = "KEY7890ABC";
    public const string UnregisteredBody = """{"reason":"Unregistered","timestamp":1700000000000}""";
    public const string BadDeviceTokenBody = """{"reason":"BadDeviceToken"}""";
    public const string UnavailableBody = """{"reason":"ServiceUnavailable"}""";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Distinct provider tokens seen, in order.</summary>
    public ConcurrentQueue<string> ProviderTokens { get; } = new();

    /// <summary>The .p8 key as Apple hands it out (PKCS#8 PEM).</summary>
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Command-line settings pointing the hub's APNs sender here.</summary>
    public string[] HubArgs =>
    [
        $"--Push:Apns:BundleId={BundleId}", $"--Push:Apns:TeamId={TeamId}", $"--Push:Apns:KeyId={KeyId}",
        $"--Push:Apns:PrivateKey={PrivateKeyPem}", $"--Push:Apns:BaseUrl={Url}",
    ];

    /// <summary>A device token as iOS hands one out: 32 bytes, hex.</summary>
    public static string NewDeviceToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    protected override HttpProtocols Protocols => HttpProtocols.Http2;

    protected override void Map(WebApplication app) => app.MapPost("/3/device/{token}", Send);

    private async Task Send(HttpContext http, string token)
    {
        var error = (string reason) => (object)new { reason = "BadRequest", detail = reason };
        JsonElement body;
        Dictionary<string, string> headers;
        try
        {
            if (http.Request.Protocol != "HTTP/2")
                throw new ShapeException($"APNs speaks HTTP/2 only; this was {http.Request.Protocol}.");
            if (token.Length != 64 || !token.All(Uri.IsHexDigit))
                throw new ShapeException("The device token in the path must be 64 hex digits.");
            headers = CheckHeaders(http.Request.Headers);
            var raw = new MemoryStream();
            await http.Request.Body.CopyToAsync(raw);
            if (raw.Length > 4096)
                throw new ShapeException("The payload exceeds 4 KB.");
            body = JsonDocument.Parse(raw.ToArray()).RootElement.Clone();
            CheckPayload(body, headers["apns-push-type"]);
        }
        catch (Exception e) when (e is ShapeException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            await Refuse(http, e.Message, error);
            return;
        }
        if (await Scripted(http, token))
            return;
        Accepted.Enqueue(new AcceptedPush(token, body, headers));
        http.Response.Headers["apns-id"] = headers.GetValueOrDefault("apns-id", Guid.NewGuid().ToString("D"));
    }

    private Dictionary<string, string> CheckHeaders(IHeaderDictionary h)
    {
        var authorization = h.Authorization.ToString();
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase))
            throw new ShapeException("authorization must be 'bearer <provider token>'.");
        CheckProviderToken(authorization[7..]);
        if (h["apns-topic"] != BundleId)
            throw new ShapeException($"apns-topic must be the bundle id {BundleId}.");
        var type = h["apns-push-type"].ToString();
        if (type is not ("alert" or "background"))
            throw new ShapeException("apns-push-type must be alert or background here.");
        var priority = h["apns-priority"].ToString();
        if (priority is not ("10" or "5" or "1"))
            throw new ShapeException("apns-priority must be 10, 5 or 1.");
        if (type == "background" && priority != "5")
            throw new ShapeException("A background push must have apns-priority 5.");
        if (h.ContainsKey("apns-expiration") && !long.TryParse(h["apns-expiration"], out _))
            throw new ShapeException("apns-expiration must be a UNIX epoch in seconds.");
        if (h.ContainsKey("apns-id") && !Guid.TryParseExact(h["apns-id"], "D", out _))
            throw new ShapeException("apns-id must be a canonical UUID (8-4-4-4-12).");
        if (h.ContainsKey("apns-collapse-id") && Encoding.UTF8.GetByteCount(h["apns-collapse-id"].ToString()) > 64)
            throw new ShapeException("apns-collapse-id must be at most 64 bytes.");
        return h.Where(x => x.Key.StartsWith("apns-", StringComparison.OrdinalIgnoreCase)).ToDictionary(x => x.Key.ToLowerInvariant(), x => x.Value.ToString());
    }

    private void CheckProviderToken(string jwt)
    {
        var (header, claims) = Shape.Jws(jwt, "provider token", (input, signature) =>
            signature.Length == 64 && _key.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        if (Shape.String(header, "alg") != "ES256")
            throw new ShapeException("The provider token's alg must be ES256.");
        if (Shape.String(header, "kid") != KeyId)
            throw new ShapeException("The provider token's kid must be the key id.");
        if (Shape.String(claims, "iss") != TeamId)
            throw new ShapeException("The provider token's iss must be the team id.");
        var age = clock.GetUtcNow().ToUnixTimeSeconds() - claims.GetProperty("iat").GetInt64();
        if (age < -60 || age >= 3600)
            throw new ShapeException("ExpiredProviderToken: iat must lie within the last hour.");
        if (!ProviderTokens.Contains(jwt))
            ProviderTokens.Enqueue(jwt);
    }

    private static void CheckPayload(JsonElement body, string pushType)
    {
        var aps = Shape.Object(body, "aps");
        Shape.OnlyKeys(aps, "aps", "alert", "badge", "sound", "thread-id", "category", "content-available", "mutable-content", "target-content-id",
            "interruption-level", "relevance-score");
        if (pushType == "alert")
        {
            var alert = Shape.Object(aps, "alert");
            Shape.OnlyKeys(alert, "alert", "title", "subtitle", "body", "launch-image", "title-loc-key", "title-loc-args", "loc-key", "loc-args");
            Shape.String(alert, "title");
            Shape.String(alert, "body");
        }
        else if (!aps.TryGetProperty("content-available", out var available) || available.ValueKind != JsonValueKind.Number || available.GetInt32() != 1
                 || aps.TryGetProperty("alert", out _) || aps.TryGetProperty("sound", out _))
            throw new ShapeException("A background push has aps.content-available 1 and no alert or sound.");
    }
}
