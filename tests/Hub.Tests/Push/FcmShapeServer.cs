using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hub.Tests.Push;

/// <summary>
/// FCM HTTP v1 and Google's OAuth token endpoint, checking the documented shapes: the RS256 service-account assertion
/// (signature with the account's public key; iss, scope, aud, iat, exp at most an hour) exchanged with the jwt-bearer
/// grant, and <c>messages:send</c> with the issued bearer token and a <c>{"message":{…}}</c> body whose data values are strings.
/// </summary>
public sealed partial class FcmShapeServer(TimeProvider clock) : ShapeServer
{
    public const string ProjectId = "crm-hub-test";
    public const string ClientEmail = "hub-push@crm-hub-test.iam.gserviceaccount.com";
    public const string UnregisteredBody =
        """{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}""";
    public const string BadTokenBody =
        """{"error":{"code":400,"message":"The registration token is not a valid FCM registration token","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INVALID_ARGUMENT"},{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"message.token","description":"Invalid registration token"}]}]}}""";
    public const string UnavailableBody = """{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}""";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new();
    private int _tokenRequests;

    /// <summary>The service account's private key as the JSON key file has it (PKCS#8 PEM).</summary>
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>How many access tokens were granted.</summary>
    public int TokenRequests => _tokenRequests;

    /// <summary>Lifetime of granted tokens (<c>expires_in</c>).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3599);

    /// <summary>The token endpoint's address: the assertion's audience.</summary>
    public string TokenUri => Url + "/token";

    /// <summary>Command-line settings pointing the hub's FCM sender here.</summary>
    public string[] HubArgs =>
    [
        $"--Push:Fcm:ProjectId={ProjectId}", $"--Push:Fcm:ClientEmail={ClientEmail}", $"--Push:Fcm:PrivateKey={PrivateKeyPem}",
        $"--Push:Fcm:TokenUri={TokenUri}", $"--Push:Fcm:BaseUrl={Url}",
    ];

    protected override HttpProtocols Protocols => HttpProtocols.Http1AndHttp2;

    protected override void Map(WebApplication app)
    {
        app.MapPost("/token", Token);
        app.MapPost("/v1/projects/{project}/messages:send", Send);
    }

    private async Task Token(HttpContext http)
    {
        var error = (string reason) => (object)new { error = "invalid_grant", error_description = reason };
        if (!http.Request.HasFormContentType)
        {
            await Refuse(http, "The token request must be application/x-www-form-urlencoded.", error);
            return;
        }
        var form = await http.Request.ReadFormAsync();
        try
        {
            if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
                throw new ShapeException($"grant_type '{form["grant_type"]}' is not urn:ietf:params:oauth:grant-type:jwt-bearer.");
            CheckAssertion(form["assertion"].ToString());
        }
        catch (ShapeException e)
        {
            await Refuse(http, e.Message, error);
            return;
        }
        Interlocked.Increment(ref _tokenRequests);
        var token = "ya29." + Guid.NewGuid().ToString("N");
        _issued[token] = clock.GetUtcNow() + TokenLifetime;
        await http.Response.WriteAsJsonAsync(new { access_token = token, expires_in = (long)TokenLifetime.TotalSeconds, token_type = "Bearer" });
    }

    private void CheckAssertion(string assertion)
    {
        var (header, claims) = Shape.Jws(assertion, "assertion",
            (input, signature) => _key.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        if (Shape.String(header, "alg") != "RS256")
            throw new ShapeException("The assertion's alg must be RS256.");
        if (header.TryGetProperty("typ", out var typ) && typ.GetString() != "JWT")
            throw new ShapeException("The assertion's typ must be JWT.");
        if (Shape.String(claims, "iss") != ClientEmail)
            throw new ShapeException("iss must be the service account's client_email.");
        if (Shape.String(claims, "scope").Split(' ') is var scopes && !scopes.Contains("https://www.googleapis.com/auth/firebase.messaging"))
            throw new ShapeException("scope must include https://www.googleapis.com/auth/firebase.messaging.");
        if (Shape.String(claims, "aud") != TokenUri)
            throw new ShapeException($"aud must be the token_uri {TokenUri}.");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var iat = claims.GetProperty("iat").GetInt64();
        var exp = claims.GetProperty("exp").GetInt64();
        if (Math.Abs(iat - now) > 60)
            throw new ShapeException("iat must be now.");
        if (exp <= now || exp - iat > 3600)
            throw new ShapeException("exp must be in the future and at most one hour after iat.");
    }

    private async Task Send(HttpContext http, string project)
    {
        var error = (string reason) => (object)new { error = new { code = 400, message = reason, status = "INVALID_ARGUMENT" } };
        var bearer = http.Request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.TryGetValue(bearer[7..], out var expires) || expires <= clock.GetUtcNow())
        {
            Refusals.Enqueue("No valid access token.");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.Response.WriteAsJsonAsync(new { error = new { code = 401, message = "Request had invalid authentication credentials.", status = "UNAUTHENTICATED" } });
            return;
        }
        string token;
        JsonElement body;
        try
        {
            if (project != ProjectId)
                throw new ShapeException($"Unknown project {project}.");
            if (http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
                throw new ShapeException("The body must be application/json.");
            body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
            token = CheckMessage(body);
        }
        catch (Exception e) when (e is ShapeException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            await Refuse(http, e.Message, error);
            return;
        }
        if (await Scripted(http, token))
            return;
        Accepted.Enqueue(new AcceptedPush(token, body, new Dictionary<string, string>()));
        await http.Response.WriteAsJsonAsync(new { name = $"projects/{ProjectId}/messages/{Guid.NewGuid():N}" });
    }

    /// <summary>The v1 <c>Message</c>: exactly one target (here a token), notification, string data and AndroidConfig.</summary>
    private static string CheckMessage(JsonElement body)
    {
        Shape.OnlyKeys(body, "request", "message", "validate_only");
        var message = Shape.Object(body, "message");
        Shape.OnlyKeys(message, "message", "token", "topic", "condition", "name", "notification", "data", "android", "apns", "webpush", "fcm_options");
        var token = Shape.String(message, "token");
        if (string.IsNullOrWhiteSpace(token))
            throw new ShapeException("message.token must not be empty.");
        if (message.TryGetProperty("notification", out _))
        {
            var notification = Shape.Object(message, "notification");
            Shape.OnlyKeys(notification, "notification", "title", "body", "image");
            Shape.String(notification, "title");
            Shape.String(notification, "body");
        }
        if (message.TryGetProperty("data", out _))
            foreach (var entry in Shape.Object(message, "data").EnumerateObject())
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new ShapeException($"message.data.{entry.Name} must be a string (FCM data values are strings).");
        if (message.TryGetProperty("android", out _))
        {
            var android = Shape.Object(message, "android");
            Shape.OnlyKeys(android, "android", "collapse_key", "priority", "ttl", "restricted_package_name", "data", "notification", "fcm_options", "direct_boot_ok");
            if (android.TryGetProperty("priority", out var priority) && priority.GetString() is not ("NORMAL" or "HIGH" or "normal" or "high"))
                throw new ShapeException("message.android.priority must be NORMAL or HIGH.");
            if (android.TryGetProperty("ttl", out var ttl) && !Duration().IsMatch(ttl.GetString() ?? ""))
                throw new ShapeException("message.android.ttl must be a duration such as \"3.5s\".");
            if (android.TryGetProperty("collapse_key", out var collapse) && collapse.ValueKind != JsonValueKind.String)
                throw new ShapeException("message.android.collapse_key must be a string.");
        }
        return token;
    }

    [GeneratedRegex(@"^\d+(\.\d{1,9})?s$")]
    private static partial Regex Duration();
}
