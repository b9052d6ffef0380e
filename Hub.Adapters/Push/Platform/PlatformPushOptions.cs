using System.Security.Cryptography;
using Hub.Adapters.Billing;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push.Platform;

/// <summary>
/// Firebase Cloud Messaging HTTP v1 (section <c>Push:Fcm</c>), from the service account's JSON key. Without
/// <see cref="ProjectId"/> Android devices get no platform push (the live stream still carries every event).
/// </summary>
public sealed class FcmOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Push:Fcm";

    /// <summary>Firebase project id (<c>project_id</c>); set it to turn FCM on.</summary>
    public string? ProjectId { get; set; }

    /// <summary>The service account (<c>client_email</c>): the assertion's issuer.</summary>
    public string? ClientEmail { get; set; }

    /// <summary>The service account's PKCS#8 RSA private key as PEM (<c>private_key</c>).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The key's id (<c>private_key_id</c>), sent as the assertion's <c>kid</c>; optional.</summary>
    public string? PrivateKeyId { get; set; }

    /// <summary>Where the assertion is exchanged for an access token (<c>token_uri</c>).</summary>
    public string TokenUri { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>The FCM API; messages go to <c>{BaseUrl}/v1/projects/{ProjectId}/messages:send</c>.</summary>
    public string BaseUrl { get; set; } = "https://fcm.googleapis.com";

    /// <summary>An access token is fetched again this long before it expires.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of 429/5xx (honouring <c>Retry-After</c>), timeout and breaker of each call.</summary>
    public PartnerResilienceOptions Resilience { get; set; } = new() { MaxRetries = 2 };

    /// <summary>Whether FCM is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ProjectId);

    /// <summary>What is missing or wrong when <see cref="Enabled"/>; empty when fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
            yield break;
        if (string.IsNullOrWhiteSpace(ClientEmail) || !ClientEmail.Contains('@'))
            yield return "Push:Fcm:ClientEmail (the service account's client_email) is required with Push:Fcm:ProjectId.";
        if (PemKeys.RsaProblem(PrivateKey) is { } key)
            yield return $"Push:Fcm:PrivateKey (the service account's private_key, PKCS#8 PEM): {key}";
        if (!PemKeys.IsHttpUrl(TokenUri))
            yield return "Push:Fcm:TokenUri must be an absolute http(s) URL.";
        if (!PemKeys.IsHttpUrl(BaseUrl))
            yield return "Push:Fcm:BaseUrl must be an absolute http(s) URL.";
        if (TokenRefreshMargin < TimeSpan.Zero || TokenRefreshMargin > TimeSpan.FromMinutes(30))
            yield return "Push:Fcm:TokenRefreshMargin must be from 0 to 30 minutes.";
        foreach (var problem in Resilience.Problems("Push:Fcm:Resilience"))
            yield return problem;
    }
}

/// <summary>
/// Apple Push Notification service over HTTP/2 with a token-based (.p8) key (section <c>Push:Apns</c>). Without
/// <see cref="BundleId"/> iOS devices get no platform push.
/// </summary>
public sealed class ApnsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Push:Apns";

    /// <summary>The app's bundle id, sent as <c>apns-topic</c>; set it to turn APNs on.</summary>
    public string? BundleId { get; set; }

    /// <summary>The 10-character Team ID: the provider token's issuer.</summary>
    public string? TeamId { get; set; }

    /// <summary>The 10-character Key ID of the signing key: the provider token's <c>kid</c>.</summary>
    public string? KeyId { get; set; }

    /// <summary>The .p8 signing key: a PKCS#8 EC P-256 private key as PEM.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The APNs server: <c>https://api.push.apple.com</c> or <c>https://api.sandbox.push.apple.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.push.apple.com";

    /// <summary>
    /// Age at which the provider token is signed again. Apple refuses a token older than an hour and one renewed more
    /// often than every 20 minutes, so this lies between the two.
    /// </summary>
    public TimeSpan TokenRefreshAfter { get; set; } = TimeSpan.FromMinutes(50);

    /// <summary>Retries of 429/5xx (honouring <c>Retry-After</c>), timeout and breaker of each call.</summary>
    public PartnerResilienceOptions Resilience { get; set; } = new() { MaxRetries = 2 };

    /// <summary>Whether APNs is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BundleId);

    /// <summary>What is missing or wrong when <see cref="Enabled"/>; empty when fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
            yield break;
        if (!IsAppleId(TeamId))
            yield return "Push:Apns:TeamId (10 letters or digits) is required with Push:Apns:BundleId.";
        if (!IsAppleId(KeyId))
            yield return "Push:Apns:KeyId (10 letters or digits) is required with Push:Apns:BundleId.";
        if (PemKeys.EcP256Problem(PrivateKey) is { } key)
            yield return $"Push:Apns:PrivateKey (the .p8 key, PKCS#8 PEM): {key}";
        if (!PemKeys.IsHttpUrl(BaseUrl))
            yield return "Push:Apns:BaseUrl must be an absolute http(s) URL.";
        if (TokenRefreshAfter < TimeSpan.FromMinutes(20) || TokenRefreshAfter >= TimeSpan.FromMinutes(60))
            yield return "Push:Apns:TokenRefreshAfter must be at least 20 and under 60 minutes (Apple's limits).";
        foreach (var problem in Resilience.Problems("Push:Apns:Resilience"))
            yield return problem;
    }

    private static bool IsAppleId(string? id) => id is { Length: 10 } && id.All(char.IsAsciiLetterOrDigit);
}

/// <summary>Reads the PEM keys of the push services, so a bad key stops the host at start, not at the first push.</summary>
internal static class PemKeys
{
    public static RSA Rsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    public static ECDsa EcP256(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        if (ec.KeySize != 256)
            throw new CryptographicException($"the key is a {ec.KeySize}-bit curve; ES256 needs P-256.");
        return ec;
    }

    public static string? RsaProblem(string? pem) => Problem(pem, p => Rsa(p).Dispose());

    public static string? EcP256Problem(string? pem) => Problem(pem, p => EcP256(p).Dispose());

    public static bool IsHttpUrl(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";

    private static string? Problem(string? pem, Action<string> import)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return "required.";
        try
        {
            import(pem);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return $"not a usable private key ({e.Message})";
        }
    }
}

/// <summary>Stops the host at start when the FCM or APNs settings are incomplete, saying what is missing.</summary>
internal sealed class PlatformPushOptionsValidator : IValidateOptions<FcmOptions>, IValidateOptions<ApnsOptions>
{
    public ValidateOptionsResult Validate(string? name, FcmOptions options) => Result(options.Problems());

    public ValidateOptionsResult Validate(string? name, ApnsOptions options) => Result(options.Problems());

    private static ValidateOptionsResult Result(IEnumerable<string> problems)
    {
        var list = problems.ToArray();
        return list.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
